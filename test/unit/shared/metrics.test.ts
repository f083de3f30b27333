/**
 * The metrics every invocation emits (CloudWatch Embedded Metric Format on stdout): latency, a
 * 4xx as ClientErrors, a 5xx as Faults, the declared business metric on success.
 */
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { METRIC, METRICS_NAMESPACE } from '#contracts/metrics.ts';

type RouteHandlerModule = typeof import('#shared/route-handler.ts');
let routeHandler: RouteHandlerModule['routeHandler'];
let ConflictError: typeof import('#shared/errors.ts').ConflictError;

beforeAll(async () => {
  // The suite turns EMF off (vitest.config.ts); this file is about it. Read at module load.
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.env.POWERTOOLS_SERVICE_NAME = 'startPlayback';
  ({ routeHandler } = await import('#shared/route-handler.ts'));
  ({ ConflictError } = await import('#shared/errors.ts'));
});

const event = (body: unknown): APIGatewayProxyEvent =>
  ({
    httpMethod: 'POST',
    path: '/v1/playback',
    headers: {},
    body: JSON.stringify(body),
    isBase64Encoded: false,
    pathParameters: null,
    queryStringParameters: null,
    requestContext: {
      requestId: 'api-request-1',
      authorizer: { accountId: 'a1', email: 'a@example.com', country: 'US', isAdmin: 'false' },
    },
  }) as unknown as APIGatewayProxyEvent;
const context = () => ({ awsRequestId: 'lambda-request-1', functionName: 'startPlayback' }) as Context;
const START = { profileId: 'p1', titleId: 't1' };

/** The EMF documents printed while `run` ran: metric name → value. */
async function emfOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await run();
  } finally {
    out.mockRestore();
  }
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('invocation metrics', () => {
  it('counts the declared business metric and the latency on success, in the Showrunner namespace', async () => {
    const handler = routeHandler('startPlayback', async () => ({
      sessionId: 's1',
      manifestUrl: 'https://example.com/m.m3u8',
      resumeAtSec: 0,
      expiresAt: '2026-12-04T00:00:00Z',
    }));

    const [emf] = await emfOf(() => handler(event(START), context()));

    expect(emf).toMatchObject({ service: 'startPlayback', PlaybackStarted: 1 });
    expect(typeof emf?.[METRIC.LATENCY]).toBe('number');
    const aws = emf?._aws as { CloudWatchMetrics: { Namespace: string }[] } | undefined;
    const directive = aws?.CloudWatchMetrics[0];
    expect(directive?.Namespace).toBe(METRICS_NAMESPACE);
    expect(emf).not.toHaveProperty(METRIC.CLIENT_ERRORS);
  });

  it('counts a 4xx answer as ClientErrors, not as the business metric', async () => {
    const handler = routeHandler('startPlayback', async () => {
      throw new ConflictError('STREAM_LIMIT_REACHED', 'All streams in use.');
    });

    const [emf] = await emfOf(() => handler(event(START), context()));

    expect(emf).toMatchObject({ [METRIC.CLIENT_ERRORS]: 1 });
    expect(emf).not.toHaveProperty('PlaybackStarted');
  });

  it('counts a bad request as ClientErrors too', async () => {
    const handler = routeHandler('startPlayback', async () => {
      throw new Error('not reached');
    });

    const [emf] = await emfOf(() => handler(event({ profileId: 'p1' }), context()));

    expect(emf).toMatchObject({ [METRIC.CLIENT_ERRORS]: 1 });
  });

  it('counts a 5xx answer as a Fault', async () => {
    const handler = routeHandler('startPlayback', async () => {
      throw new Error('boom');
    });

    const emf = await emfOf(() => handler(event(START), context()).catch(() => undefined));

    expect(emf[0]).toMatchObject({ [METRIC.FAULTS]: 1 });
    expect(emf[0]).not.toHaveProperty('PlaybackStarted');
  });
});
