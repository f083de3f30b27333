/**
 * Who is calling, as the authorizer established it. API Gateway puts the authorizer's context in
 * `requestContext.authorizer` (strings only); the local gateway does the same.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { countrySchema } from '#contracts/api/common.ts';
import { UnauthorizedError } from './errors.ts';

export interface Caller {
  accountId: string;
  email: string;
  /** The account's country (sign-up); the viewer's may differ: see `viewerCountry`. */
  country: string;
  isAdmin: boolean;
}

export function caller(event: APIGatewayProxyEvent): Caller {
  const context = (event.requestContext?.authorizer ?? {}) as Record<string, unknown>;
  const accountId = context.accountId;
  if (typeof accountId !== 'string' || accountId === '') {
    // Only reachable if a route meant for signed-in callers was deployed without the authorizer.
    throw new UnauthorizedError('UNAUTHORIZED', 'A valid bearer access token is required.');
  }
  return {
    accountId,
    email: String(context.email ?? ''),
    country: String(context.country ?? ''),
    isAdmin: context.isAdmin === 'true' || context.isAdmin === true,
  };
}

/**
 * The viewer's country: CloudFront's `CloudFront-Viewer-Country` (the edge stack forwards it to
 * the API), else `X-Viewer-Country` (the local platform and tests), else the account's country.
 * A malformed header is ignored, not trusted.
 */
export function viewerCountry(event: APIGatewayProxyEvent, who: Caller): string {
  const headers = event.headers ?? {};
  const find = (name: string) => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    return key ? headers[key]?.trim().toUpperCase() : undefined;
  };
  for (const candidate of [find('cloudfront-viewer-country'), find('x-viewer-country'), who.country]) {
    if (candidate && countrySchema.safeParse(candidate).success) return candidate;
  }
  return 'US';
}
