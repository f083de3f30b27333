/**
 * A stand-in for the Lambda `Invoke` API, for handler tests of a service that calls others:
 * `invokeInternal` sends its real SDK request here (`AWS_ENDPOINT_URL_LAMBDA`), and the named
 * function answers in process. Not a mock of the SDK: the client, its serialization and the
 * response parsing all run for real.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { functionEnv } from '#contracts/env.ts';
import type { FunctionId } from '#contracts/functions.ts';

export type InternalFunction = (event: unknown, context: Context) => Promise<unknown>;

export interface FakeLambda {
  /** How many times each function was invoked. */
  readonly invocations: Map<string, number>;
  stop(): Promise<void>;
}

/** Serves `functions` and points the SDK and `functionEnv(id)` at them. */
export async function startFakeLambda(
  functions: Partial<Record<FunctionId, InternalFunction>>,
): Promise<FakeLambda> {
  const invocations = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url?.split('?')[0] ?? '')?.[1];
    const fn = name ? functions[decodeURIComponent(name) as FunctionId] : undefined;
    if (req.method !== 'POST' || !name || !fn) {
      res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException' }).end('{}');
      return;
    }
    invocations.set(name, (invocations.get(name) ?? 0) + 1);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      // The client context the caller sent (base64 JSON), as the Lambda runtime hands it over.
      const header = req.headers['x-amz-client-context'];
      const clientContext =
        typeof header === 'string' ? JSON.parse(Buffer.from(header, 'base64').toString('utf8')) : undefined;
      const context = { awsRequestId: `fake-${name}`, functionName: name, clientContext } as Context;
      const result = await fn(JSON.parse(Buffer.concat(chunks).toString('utf8')), context);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? null));
    } catch (error) {
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
        .end(JSON.stringify({ errorType: 'Error', errorMessage: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_LAMBDA = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const id of Object.keys(functions)) process.env[functionEnv(id)] = id;
  return {
    invocations,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
