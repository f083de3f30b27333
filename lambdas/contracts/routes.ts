/**
 * The HTTP API, declared once: CDK builds API Gateway resources and methods from it, the local
 * gateway routes with it, tests enumerate it.
 */
import type { FunctionId } from './functions.ts';

/** `none`: public. `admin`: operators only (IAM on AWS until the identity service exists). */
export type RouteAuth = 'none' | 'admin';

export interface RouteDeclaration {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway path syntax: `/v1/admin/jobs/{jobId}`. */
  readonly path: string;
  readonly function: FunctionId;
  readonly auth: RouteAuth;
}

export const ROUTES = [
  { method: 'GET', path: '/v1/health', function: 'health', auth: 'none' },
  { method: 'GET', path: '/v1/admin/jobs/{jobId}', function: 'getJob', auth: 'admin' },
  { method: 'POST', path: '/v1/admin/uploads', function: 'createUpload', auth: 'admin' },
  { method: 'POST', path: '/v1/admin/uploads/{jobId}/complete', function: 'completeUpload', auth: 'admin' },
] as const satisfies readonly RouteDeclaration[];

/** Bodies above this are refused before a handler sees them (API Gateway's own limit is 10 MB). */
export const MAX_BODY_BYTES = 256 * 1024;
