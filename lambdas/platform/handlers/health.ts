/** GET /v1/health: liveness, and which target this is. */
import { ENV } from '#contracts/env.ts';
import { routeHandler } from '#shared/route-handler.ts';

const target = process.env[ENV.TARGET] ?? 'unknown';

export const handler = routeHandler('health', async () => ({
  status: 'ok',
  target,
  time: new Date().toISOString(),
}));
