/**
 * The Lambda `Invoke` API, locally: services call each other's internal functions with the AWS
 * SDK's `LambdaClient` (`AWS_ENDPOINT_URL_LAMBDA` points here), and the call runs in the same
 * workers as everything else. RequestResponse only: that is all the services use.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { FunctionError, type LambdaRuntime } from './runtime.ts';

export function startInvokeApi(options: { port: number; lambda: LambdaRuntime }): Promise<Server> {
  const server = createServer(async (req, res) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(req.url?.split('?')[0] ?? '');
    const name = match?.[1] ? decodeURIComponent(match[1]) : undefined;
    if (req.method !== 'POST' || !name) {
      res.writeHead(404, { 'x-amzn-errortype': 'UnknownOperationException' }).end('{}');
      return;
    }
    if (!options.lambda.find(name)) {
      res
        .writeHead(404, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'ResourceNotFoundException',
        })
        .end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let event: unknown = null;
    try {
      event = text === '' ? {} : JSON.parse(text);
    } catch {
      res
        .writeHead(400, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'InvalidRequestContentException',
        })
        .end(JSON.stringify({ Type: 'User', message: 'Could not parse request body into json' }));
      return;
    }
    try {
      const result = await options.lambda.invoke(name, event, {
        clientContext: clientContextOf(req.headers),
      });
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' })
        .end(JSON.stringify(result ?? null));
    } catch (error) {
      const payload =
        error instanceof FunctionError
          ? error.payload
          : { errorType: 'Runtime.Unknown', errorMessage: (error as Error).message };
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' })
        .end(JSON.stringify({ errorType: payload.errorType, errorMessage: payload.errorMessage }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve(server));
  });
}

/**
 * The caller's `ClientContext` (header `X-Amz-Client-Context`, base64 JSON, at most 3,583 bytes),
 * which Lambda hands the function as `context.clientContext`; ignored when it is not JSON.
 */
function clientContextOf(headers: IncomingHttpHeaders): unknown {
  const header = headers['x-amz-client-context'];
  if (typeof header !== 'string' || header.length > 4_800) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
