/**
 * Calls to another service's internal function: Lambda `Invoke` (RequestResponse), the function's
 * name from `functionEnv(id)`. The caller's role may invoke exactly the functions its declaration
 * lists (`invokes` in `#contracts/functions.ts`). Locally, `AWS_ENDPOINT_URL_LAMBDA` points at the
 * embedded platform's Lambda API.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { functionEnv } from '#contracts/env.ts';
import type { FunctionId } from '#contracts/functions.ts';
import * as z from '#contracts/zod.ts';
import { CORRELATION_CLIENT_CONTEXT_KEY, currentCorrelationId } from './middleware/correlation.ts';
import { traced } from './tracer.ts';

let lambda: LambdaClient | undefined;

/** A dependency failed or answered something unexpected: a 5xx, never the caller's fault. */
export class InternalCallError extends Error {
  readonly functionId: string;
  constructor(functionId: string, message: string, options?: { cause?: unknown }) {
    super(`${functionId}: ${message}`, options);
    this.name = 'InternalCallError';
    this.functionId = functionId;
  }
}

export async function invokeInternal<S extends z.core.$ZodType>(
  functionId: FunctionId,
  request: unknown,
  responseSchema: S,
): Promise<z.infer<S>> {
  const name = process.env[functionEnv(functionId)];
  if (!name)
    throw new InternalCallError(functionId, `${functionEnv(functionId)} is not set: declare it in invokes`);
  lambda ??= traced(new LambdaClient({}));
  const correlationId = currentCorrelationId();
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: new TextEncoder().encode(JSON.stringify(request)),
      // The callee logs under the caller's correlation id (Lambda hands it over as `context.clientContext`).
      ...(correlationId ? { ClientContext: clientContext(correlationId) } : {}),
    }),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
  if (out.FunctionError) throw new InternalCallError(functionId, `function error: ${text.slice(0, 500)}`);
  const parsed = z.safeParse(responseSchema, JSON.parse(text));
  if (!parsed.success) throw new InternalCallError(functionId, `unexpected answer: ${parsed.error.message}`);
  return parsed.data;
}

/** Base64 JSON, as Lambda's `ClientContext` parameter wants it (at most 3,583 bytes). */
function clientContext(correlationId: string): string {
  return Buffer.from(
    JSON.stringify({ custom: { [CORRELATION_CLIENT_CONTEXT_KEY]: correlationId } }),
  ).toString('base64');
}
