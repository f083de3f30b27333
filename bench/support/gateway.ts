/** One JSON call to the platform's API gateway, as the benches' set-up and checks make them. */

export interface GatewayCall {
  /** Sent as `authorization: Bearer <token>`. */
  readonly token?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface GatewayAnswer {
  readonly status: number;
  readonly text: string;
}

export async function gatewayRequest(
  gatewayUrl: string,
  method: string,
  path: string,
  call: GatewayCall = {},
): Promise<GatewayAnswer> {
  const response = await fetch(`${gatewayUrl}${path}`, {
    method,
    headers: {
      ...call.headers,
      ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
      ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  return { status: response.status, text: await response.text() };
}

/** The JSON answer of a call that must answer `expect`; any other status throws, with the answer. */
export async function gatewayJson<T>(
  gatewayUrl: string,
  method: string,
  path: string,
  call: GatewayCall & { readonly expect: number },
): Promise<T> {
  const { status, text } = await gatewayRequest(gatewayUrl, method, path, call);
  if (status !== call.expect) {
    throw new Error(`${method} ${path}: expected ${call.expect}, got ${status}: ${text.slice(0, 500)}`);
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
