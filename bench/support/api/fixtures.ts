/**
 * What the API bench works on, made through the API itself: as the administrator, one movie
 * live in the US per connection; a viewer who signs up and makes an adult profile. And what
 * every heartbeat sends.
 */
import { randomUUID } from 'node:crypto';
import { gatewayJson } from '../gateway.ts';

/** Every benchmark movie lasts an hour; heartbeats move through it, never reaching the credits. */
const DURATION_SEC = 3600;

export interface BenchTitle {
  readonly titleId: string;
  readonly name: string;
}

export interface Fixture {
  readonly viewerToken: string;
  readonly accountId: string;
  readonly profileId: string;
  /** One movie per connection. */
  readonly titles: readonly BenchTitle[];
}

/** The body of the `beat`-th heartbeat: a new position each time, and the given client time. */
export function heartbeatBody(beat: number, clientTs: number) {
  return { positionSec: beat % (DURATION_SEC - 60), durationSec: DURATION_SEC, clientTs };
}

export async function login(gatewayUrl: string, email: string, password: string): Promise<string> {
  const { accessToken } = await gatewayJson<{ accessToken: string }>(gatewayUrl, 'POST', '/v1/auth/login', {
    body: { email, password },
    expect: 200,
  });
  return accessToken;
}

export async function createFixture(
  gatewayUrl: string,
  admin: { email: string; password: string },
  movies: number,
): Promise<Fixture> {
  const adminToken = await login(gatewayUrl, admin.email, admin.password);
  const titles: BenchTitle[] = [];
  for (let i = 1; i <= movies; i += 1) {
    const name = `Benchmark Movie ${String(i).padStart(3, '0')}`;
    const { titleId } = await gatewayJson<{ titleId: string }>(gatewayUrl, 'POST', '/v1/admin/titles', {
      token: adminToken,
      body: {
        name,
        synopsis: 'A title for the API benchmark.',
        genres: ['drama'],
        maturity: 'teen',
        availability: [{ countries: ['US'], from: '2000-01-01T00:00:00Z' }],
      },
      expect: 201,
    });
    titles.push({ titleId, name });
  }
  const email = `bench-${randomUUID()}@example.com`;
  const password = 'bench-password-1';
  const { accountId } = await gatewayJson<{ accountId: string }>(gatewayUrl, 'POST', '/v1/auth/signup', {
    body: { email, password, country: 'US' },
    expect: 201,
  });
  const viewerToken = await login(gatewayUrl, email, password);
  const { profileId } = await gatewayJson<{ profileId: string }>(gatewayUrl, 'POST', '/v1/profiles', {
    token: viewerToken,
    body: { name: 'Bench', maturity: 'adult' },
    expect: 201,
  });
  return { viewerToken, accountId, profileId, titles };
}
