/**
 * Configuration of the delivery side: the edge pathways, the signing keys and the API's base URL
 * (for the playlist and steering URLs handed to players). One function per need; each picks its
 * source by which environment variable the stack set:
 *
 * - the local platform sets the values themselves (`SHOWRUNNER_EDGE_PATHWAYS`,
 *   `SHOWRUNNER_EDGE_KEY_ID` / `_SECRET`), read once at module load;
 * - on AWS the stack sets where to find them (`SHOWRUNNER_EDGE_PATHWAYS_PARAMETER`, an SSM
 *   parameter the edge stack writes; `SHOWRUNNER_EDGE_KEY_SECRET_ARN`, a Secrets Manager
 *   secret), read when first needed and again once `EDGE_CONFIG_MAX_AGE_SEC` has passed.
 *
 * Revocations are chosen in `edge-revocations.ts`: their CloudFront client needs the bundled SDK,
 * and importing it here would load it into every playback function.
 */

import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ENV, type EnvName } from '#contracts/env.ts';
import * as z from '#contracts/zod.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { ServiceUnavailableError } from '#shared/errors.ts';
import { PATHWAY_ID } from '../domain/master-playlist.ts';
import type { Pathway, SigningKeys } from '../domain/ports.ts';
import { staticSigningKeys } from './env-signing-keys.ts';
import { secretSigningKeys } from './secret-signing-keys.ts';

/**
 * Seconds a warm function keeps what it read from SSM or Secrets Manager: a new pathway or a
 * rotated key reaches every function within this, for one call per container per period.
 */
export const EDGE_CONFIG_MAX_AGE_SEC = 300;

const pathwaysSchema = z
  .array(
    z.strictObject({
      id: z.string().check(z.regex(PATHWAY_ID, 'a pathway id is letters, digits, ".", "-" or "_"')),
      baseUrl: z.pipe(
        z.url({ protocol: /^https?$/ }),
        z.transform((url: string) => url.replace(/\/+$/, '')),
      ),
    }),
  )
  .check(
    z.minLength(1),
    z.refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'pathway ids must be unique'),
  );

/** The edge pathways in their configured order, resolved when needed (the source may be remote). */
export type PathwaySource = () => Promise<readonly Pathway[]>;

/**
 * `SHOWRUNNER_EDGE_PATHWAYS`: JSON `[{ "id": "edge-a", "baseUrl": "https://d1.cloudfront.net" }, …]`,
 * checked at module load; or the same JSON in the SSM parameter `SHOWRUNNER_EDGE_PATHWAYS_PARAMETER`.
 * Call the source per request: it answers from memory, and from SSM once the cache has aged.
 */
export function edgePathwaySource(): PathwaySource {
  const json = optionalEnv(ENV.EDGE_PATHWAYS);
  if (json !== undefined) {
    const pathways = parsePathways(json, ENV.EDGE_PATHWAYS);
    return async () => pathways;
  }
  const parameter = eitherEnv(ENV.EDGE_PATHWAYS_PARAMETER, ENV.EDGE_PATHWAYS);
  return pathwaysFrom(() => parameterValue(parameter), `SSM parameter ${parameter}`);
}

/** Pathways from a text that may change (a cached parameter): parsed again only when it does. */
export function pathwaysFrom(load: () => Promise<string>, source: string): PathwaySource {
  let parsed: { text: string; pathways: readonly Pathway[] } | undefined;
  return async () => {
    const text = await load();
    if (parsed?.text !== text) parsed = { text, pathways: parsePathways(text, source) };
    return parsed.pathways;
  };
}

/** The pathways JSON, validated; the error names `source`. */
export function parsePathways(text: string, source: string): Pathway[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON: ${text}`);
  }
  const parsed = pathwaysSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${source} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * The signing keys: `SHOWRUNNER_EDGE_KEY_ID` and the base64 `SHOWRUNNER_EDGE_KEY_SECRET`, or the
 * Secrets Manager secret `SHOWRUNNER_EDGE_KEY_SECRET_ARN` (`{ kid, secret, previous? }`).
 */
export function edgeSigningKeys(): SigningKeys {
  const kid = optionalEnv(ENV.EDGE_KEY_ID);
  if (kid !== undefined) return staticSigningKeys({ kid, secret: requireEnv(ENV.EDGE_KEY_SECRET) });
  const secretArn = eitherEnv(ENV.EDGE_KEY_SECRET_ARN, ENV.EDGE_KEY_ID);
  return secretSigningKeys(async () => {
    const text = await getSecret(secretArn, { maxAge: EDGE_CONFIG_MAX_AGE_SEC });
    if (typeof text !== 'string') throw new Error(`The secret ${secretArn} has no text value.`);
    return text;
  }, secretArn);
}

/**
 * An SSM parameter's value, cached for `EDGE_CONFIG_MAX_AGE_SEC`. A missing one means the edge
 * stack has not been deployed yet (it writes them): 503 EDGE_NOT_READY, not a 500.
 */
export async function parameterValue(name: string): Promise<string> {
  let value: string | undefined;
  try {
    value = await getParameter(name, { maxAge: EDGE_CONFIG_MAX_AGE_SEC });
  } catch (error) {
    if (!isParameterNotFound(error)) throw error;
  }
  if (value === undefined) {
    throw new ServiceUnavailableError(
      'EDGE_NOT_READY',
      'The delivery edge is not deployed yet: try again once the edge stack is up.',
      { cause: new Error(`The SSM parameter ${name} does not exist.`) },
    );
  }
  return value;
}

/** SSM's ParameterNotFound, as the SDK throws it or as Powertools wraps it. */
function isParameterNotFound(error: unknown): boolean {
  for (let e = error as { name?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.name === 'ParameterNotFound') return true;
  }
  return false;
}

/** `preferred`, or fails loudly at module load naming both ways to configure the need. */
export function eitherEnv(preferred: EnvName, alternative: EnvName): string {
  const value = optionalEnv(preferred);
  if (value === undefined) {
    throw new Error(`Neither ${alternative} nor ${preferred} is set: the function's stack must provide one.`);
  }
  return value;
}

/**
 * The API's base URL as players reach it (no trailing slash): `SHOWRUNNER_API_BASE_URL` when
 * set (the edge domain in front of the API, the local gateway), else the request's own host —
 * with the stage on an `execute-api` host, whose paths carry it.
 */
export function apiBaseUrl(event: APIGatewayProxyEvent): string {
  const configured = optionalEnv(ENV.API_BASE_URL);
  if (configured) return configured.replace(/\/+$/, '');
  const header = (name: string) => {
    const key = Object.keys(event.headers ?? {}).find((k) => k.toLowerCase() === name);
    return key ? event.headers[key]?.split(',')[0]?.trim() : undefined;
  };
  const host = header('host');
  if (!host || !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    throw new Error(`${ENV.API_BASE_URL} is not set and the request has no usable Host header.`);
  }
  const loopback = /^(localhost|127\.0\.0\.1)(:\d+)?$/.test(host);
  const forwarded = header('x-forwarded-proto');
  const proto = forwarded === 'http' || forwarded === 'https' ? forwarded : loopback ? 'http' : 'https';
  const stage =
    host.endsWith('.amazonaws.com') && event.requestContext?.stage ? `/${event.requestContext.stage}` : '';
  return `${proto}://${host}${stage}`;
}
