/** platform: liveness and the API's own description. */
import * as z from '../zod.ts';

export const healthSchema = z.object({
  status: z.literal('ok'),
  /** `aws` | `localstack` | `local`. */
  target: z.string(),
  time: z.string(),
});

/** The OpenAPI 3.1 document (described by the OpenAPI specification itself, not here). */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  paths: z.record(z.string(), z.unknown()),
});
