/**
 * The seed's HTTP client: plain `fetch` against the platform's public API, as an admin or a
 * viewer, with the platform's error body turned into a typed error.
 */

/** The seed did not complete; what was done is kept and the next attempt resumes from it. */
export class SeedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SeedError';
  }
}

/** The platform answered a call with an error status. */
export class SeedApiError extends SeedError {
  readonly status: number;
  /** The platform's error code (`EMAIL_TAKEN`, …), when the answer had one. */
  readonly code: string | undefined;

  constructor(message: string, status: number, code?: string) {
    super(message);
    this.name = 'SeedApiError';
    this.status = status;
    this.code = code;
  }
}

/** Email and password of an account of the platform. */
export interface Credentials {
  readonly email: string;
  readonly password: string;
}

/** One caller of the API: anonymous, or signed in with a bearer token. */
export class ApiClient {
  readonly #apiUrl: string;
  readonly #token: string;
  readonly #signal: AbortSignal | undefined;
  readonly #onCall: (() => void) | undefined;

  /** Use {@link ApiClient.anonymous} or {@link ApiClient.login}. */
  private constructor(
    apiUrl: string,
    token: string,
    signal: AbortSignal | undefined,
    onCall: (() => void) | undefined,
  ) {
    this.#apiUrl = apiUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#signal = signal;
    this.#onCall = onCall;
  }

  /**
   * @param signal aborts calls in flight.
   * @param onCall told before every request (the viewing seed counts its calls).
   */
  static anonymous(apiUrl: string, signal?: AbortSignal, onCall?: () => void): ApiClient {
    return new ApiClient(apiUrl, '', signal, onCall);
  }

  static async login(
    apiUrl: string,
    credentials: Credentials,
    signal?: AbortSignal,
    onCall?: () => void,
  ): Promise<ApiClient> {
    const { accessToken } = await ApiClient.anonymous(apiUrl, signal, onCall).call<{ accessToken: string }>(
      'POST',
      '/v1/auth/login',
      { email: credentials.email, password: credentials.password },
    );
    return new ApiClient(apiUrl, accessToken, signal, onCall);
  }

  /** The answer's JSON body (`undefined` for a 204); throws {@link SeedApiError} on an error status. */
  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    this.#onCall?.();
    const response = await fetch(`${this.#apiUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(this.#signal ? { signal: this.#signal } : {}),
    });
    const text = await response.text();
    if (!response.ok) {
      const error = errorOf(text);
      throw new SeedApiError(
        `${method} ${path} answered ${response.status} ${error.message}`,
        response.status,
        error.code,
      );
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
}

function errorOf(text: string): { message: string; code?: string } {
  try {
    const { error } = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (error?.code !== undefined) return { message: `${error.code}: ${error.message}`, code: error.code };
  } catch {
    // Not JSON: show the text.
  }
  return { message: text.slice(0, 200) };
}
