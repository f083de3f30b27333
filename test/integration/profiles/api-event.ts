/** API Gateway proxy events as the gateway hands them to a handler behind the authorizer. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

export interface ApiRequest {
  method: string;
  path: string;
  /** The signed-in account; `null` for a request the authorizer did not see. */
  accountId?: string | null;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** A string is sent as is (malformed JSON); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export function apiEvent(request: ApiRequest): APIGatewayProxyEvent {
  const accountId = request.accountId === undefined ? 'acct-1' : request.accountId;
  const body =
    request.body === undefined
      ? null
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  return {
    resource: request.path,
    path: request.path,
    httpMethod: request.method,
    headers: { 'content-type': 'application/json', ...request.headers },
    multiValueHeaders: {},
    queryStringParameters: request.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: request.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      authorizer:
        accountId === null
          ? null
          : { accountId, email: `${accountId}@example.com`, country: 'US', isAdmin: 'false' },
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: { sourceIp: '127.0.0.1', userAgent: 'vitest' } as never,
      path: `/prod${request.path}`,
      stage: 'prod',
      requestId: 'test-request',
      requestTimeEpoch: Date.now(),
      resourceId: 'test',
      resourcePath: request.path,
    },
  };
}

export const lambdaContext = { awsRequestId: 'test-request', functionName: 'test' } as Context;

/** A handler called as the Lambda runtime calls it: with a context of its own per invocation. */
export function withContext<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, clientContext?: Context['clientContext']) => Promise<R> {
  return (event, clientContext) =>
    handler(event, { ...lambdaContext, ...(clientContext ? { clientContext } : {}) });
}

export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Calls a handler and answers its status and parsed body. */
export async function call(
  handler: ApiHandler,
  request: ApiRequest,
): Promise<{ status: number; body: unknown; error?: string }> {
  const result = await handler(apiEvent(request), lambdaContext);
  const body = result.body ? (JSON.parse(result.body) as unknown) : undefined;
  const error = (body as { error?: { code?: string } } | undefined)?.error?.code;
  return { status: result.statusCode, body, ...(error ? { error } : {}) };
}
