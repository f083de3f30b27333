/**
 * Configuration of the delivery side, read once at module load: the edge pathways, the signing
 * key and the API's base URL (for the playlist and steering URLs handed to players).
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { ENV } from '#contracts/env.ts';
import { optionalEnv, requireEnv } from '#shared/env.ts';
import { PATHWAY_ID } from '../domain/master-playlist.ts';
import type { Pathway } from '../domain/ports.ts';
import { staticSigningKeys } from './env-signing-keys.ts';

const pathwaysSchema = z
  .array(
    z
      .object({
        id: z.string().regex(PATHWAY_ID, 'a pathway id is letters, digits, ".", "-" or "_"'),
        baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
      })
      .strict(),
  )
  .min(1)
  .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'pathway ids must be unique');

/** `SHOWRUNNER_EDGE_PATHWAYS`: JSON `[{ "id": "edge-a", "baseUrl": "https://d1.cloudfront.net" }, …]`. */
export function edgePathways(): Pathway[] {
  const raw = requireEnv(ENV.EDGE_PATHWAYS);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`${ENV.EDGE_PATHWAYS} is not JSON: ${raw}`);
  }
  const parsed = pathwaysSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${ENV.EDGE_PATHWAYS} is invalid: ${parsed.error.message}`);
  return parsed.data;
}

/** The signing key from `SHOWRUNNER_EDGE_KEY_ID` and `SHOWRUNNER_EDGE_KEY_SECRET` (base64). */
export function envSigningKeys() {
  return staticSigningKeys({ kid: requireEnv(ENV.EDGE_KEY_ID), secret: requireEnv(ENV.EDGE_KEY_SECRET) });
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
