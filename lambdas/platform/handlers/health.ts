/** GET /v1/health: liveness, and which target this is. */
import { ENV } from '#contracts/env.ts';
import { httpHandler, json } from '#shared/http.ts';

const target = process.env[ENV.TARGET] ?? 'unknown';

export const handler = httpHandler(async () =>
  json(200, { status: 'ok', target, time: new Date().toISOString() }),
);
