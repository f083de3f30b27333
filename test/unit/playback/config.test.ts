import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ENV } from '#contracts/env.ts';
import {
  apiBaseUrl,
  edgePathwaySource,
  edgeSigningKeys,
  parameterValue,
  pathwaysFrom,
} from '../../../lambdas/playback/adapters/config.ts';

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
  it('reads the JSON list, trimming trailing slashes', async () => {
    process.env[ENV.EDGE_PATHWAYS] = JSON.stringify([
      { id: 'edge-a', baseUrl: 'https://a.test/' },
      { id: 'edge-b', baseUrl: 'http://127.0.0.1:8081' },
    ]);

    expect(await edgePathwaySource()()).toEqual([
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

    expect(() => edgePathwaySource()).toThrow(ENV.EDGE_PATHWAYS);
  });

  it('fails loudly at load when neither the value nor its SSM parameter is set', () => {
    delete process.env[ENV.EDGE_PATHWAYS];
    delete process.env[ENV.EDGE_PATHWAYS_PARAMETER];

    expect(() => edgePathwaySource()).toThrow(
      `Neither ${ENV.EDGE_PATHWAYS} nor ${ENV.EDGE_PATHWAYS_PARAMETER} is set`,
    );
  });
});

describe('pathways from a parameter that may change', () => {
  const A = JSON.stringify([{ id: 'edge-a', baseUrl: 'https://a.test' }]);
  const B = JSON.stringify([{ id: 'edge-b', baseUrl: 'https://b.test' }]);

  it('are read per request and parsed again only when the text changes', async () => {
    let text = A;
    let loads = 0;
    const pathways = pathwaysFrom(async () => {
      loads += 1;
      return text;
    }, 'SSM parameter /showrunner/edge/pathways');

    const first = await pathways();
    const again = await pathways();
    text = B;
    const changed = await pathways();

    expect(loads).toBe(3);
    expect(again).toBe(first);
    expect(changed).toEqual([{ id: 'edge-b', baseUrl: 'https://b.test' }]);
  });

  it('fail the request, naming the parameter, when the text is not a pathway list', async () => {
    const pathways = pathwaysFrom(async () => '[]', 'SSM parameter /showrunner/edge/pathways');

    await expect(pathways()).rejects.toThrow('SSM parameter /showrunner/edge/pathways is invalid');
  });
});

describe('the signing keys setting', () => {
  it('is the key in the environment when there is one (the local platform)', async () => {
    process.env[ENV.EDGE_KEY_ID] = 'local-1';
    process.env[ENV.EDGE_KEY_SECRET] = 'A'.repeat(43).concat('=');

    expect((await edgeSigningKeys().current()).kid).toBe('local-1');
  });

  it('fails loudly at load when neither the key nor the secret ARN is set', () => {
    delete process.env[ENV.EDGE_KEY_ID];
    delete process.env[ENV.EDGE_KEY_SECRET_ARN];

    expect(() => edgeSigningKeys()).toThrow(
      `Neither ${ENV.EDGE_KEY_ID} nor ${ENV.EDGE_KEY_SECRET_ARN} is set`,
    );
  });
});

describe('an edge parameter the edge stack has not written yet', () => {
  // SSM has no emulator on this machine: its client is mocked here, in this adapter's own test.
  const ssm = mockClient(SSMClient);
  afterEach(() => ssm.reset());

  it('is a 503 EDGE_NOT_READY naming nothing secret, not a 500', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(new ParameterNotFound({ message: 'not found', $metadata: { httpStatusCode: 400 } }));

    await expect(parameterValue('/showrunner/edge/not-yet')).rejects.toMatchObject({
      code: 'EDGE_NOT_READY',
      status: 503,
    });
  });

  it('answers the value when it exists', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/showrunner/edge/there', Value: '[]' } });

    await expect(parameterValue('/showrunner/edge/there')).resolves.toBe('[]');
  });

  it('passes other SSM failures on as they are', async () => {
    ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    await expect(parameterValue('/showrunner/edge/forbidden')).rejects.toMatchObject({
      name: expect.not.stringMatching(/ServiceUnavailable/),
    });
  });
});
