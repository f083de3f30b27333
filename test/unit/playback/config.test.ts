import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV } from '#contracts/env.ts';
import { apiBaseUrl, edgePathways } from '../../../lambdas/playback/adapters/config.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function event(headers: Record<string, string>, stage = 'prod'): APIGatewayProxyEvent {
  return { headers, requestContext: { stage } } as unknown as APIGatewayProxyEvent;
}

describe('the API base URL handed to players', () => {
  it('is the configured one, without a trailing slash', () => {
    process.env[ENV.API_BASE_URL] = 'https://watch.example.com/';

    expect(apiBaseUrl(event({ Host: 'abc.execute-api.us-east-1.amazonaws.com' }))).toBe(
      'https://watch.example.com',
    );
  });

  it('is the execute-api host with its stage when none is configured', () => {
    delete process.env[ENV.API_BASE_URL];

    expect(
      apiBaseUrl(event({ Host: 'abc.execute-api.us-east-1.amazonaws.com', 'X-Forwarded-Proto': 'https' })),
    ).toBe('https://abc.execute-api.us-east-1.amazonaws.com/prod');
  });

  it('is plain http on a loopback host (the local gateway)', () => {
    delete process.env[ENV.API_BASE_URL];

    expect(apiBaseUrl(event({ host: '127.0.0.1:3000' }))).toBe('http://127.0.0.1:3000');
  });

  it('refuses a Host header that is not a host', () => {
    delete process.env[ENV.API_BASE_URL];

    expect(() => apiBaseUrl(event({ host: 'evil.test/path?x=' }))).toThrow(/Host/);
  });
});

describe('the edge pathways setting', () => {
  it('reads the JSON list, trimming trailing slashes', () => {
    process.env[ENV.EDGE_PATHWAYS] = JSON.stringify([
      { id: 'edge-a', baseUrl: 'https://a.test/' },
      { id: 'edge-b', baseUrl: 'http://127.0.0.1:8081' },
    ]);

    expect(edgePathways()).toEqual([
      { id: 'edge-a', baseUrl: 'https://a.test' },
      { id: 'edge-b', baseUrl: 'http://127.0.0.1:8081' },
    ]);
  });

  it.each([
    ['not JSON', 'edge-a=https://a.test'],
    ['an empty list', '[]'],
    ['an illegal pathway id', JSON.stringify([{ id: 'edge a', baseUrl: 'https://a.test' }])],
    [
      'a duplicate id',
      JSON.stringify([
        { id: 'a', baseUrl: 'https://a.test' },
        { id: 'a', baseUrl: 'https://b.test' },
      ]),
    ],
    ['a URL that is not http', JSON.stringify([{ id: 'a', baseUrl: 'ftp://a.test' }])],
  ])('fails loudly at load on %s', (_, raw) => {
    process.env[ENV.EDGE_PATHWAYS] = raw;

    expect(() => edgePathways()).toThrow(ENV.EDGE_PATHWAYS);
  });
});
