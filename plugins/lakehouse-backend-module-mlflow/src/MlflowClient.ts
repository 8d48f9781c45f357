/** Thrown when a tracking server answers something MLflow does not send. */
export class MlflowResponseError extends Error {}

/** A JSON object as MLflow sends it (snake_case keys). */
export type Json = Record<string, any>;

/**
 * Reads an MLflow tracking server's REST API 2.0 (`/api/2.0/mlflow`), with
 * basic auth when credentials are given; follows `next_page_token`.
 */
export class MlflowClient {
  constructor(
    private readonly options: {
      baseUrl: string;
      username?: string;
      password?: string;
      timeoutMs?: number;
      fetch?: typeof fetch;
    },
  ) {}

  /** Every item of a paged search. */
  async search(
    path: string,
    key: string,
    query: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Json[]> {
    const items: Json[] = [];
    let token: string | undefined;
    do {
      const body = await this.get(
        path,
        { ...query, ...(token ? { page_token: token } : {}) },
        signal,
      );
      const page = body[key] ?? [];
      if (!Array.isArray(page))
        throw new MlflowResponseError(`${path}: "${key}" is not a list`);
      items.push(...page);
      token =
        typeof body.next_page_token === 'string' && body.next_page_token
          ? body.next_page_token
          : undefined;
    } while (token);
    return items;
  }

  async get(
    path: string,
    query: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Json> {
    const url = new URL(`/api/2.0/mlflow/${path}`, this.options.baseUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const { username, password } = this.options;
    const res = await (this.options.fetch ?? fetch)(url, {
      headers: {
        accept: 'application/json',
        ...(username
          ? {
              authorization: `Basic ${Buffer.from(
                `${username}:${password ?? ''}`,
              ).toString('base64')}`,
            }
          : {}),
      },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    if (!res.ok)
      throw new MlflowResponseError(
        `${url.pathname}: HTTP ${res.status} ${text.slice(0, 200)}`,
      );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new MlflowResponseError(
        `${url.pathname}: not JSON (${text.slice(0, 80)})`,
      );
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new MlflowResponseError(`${url.pathname}: not a JSON object`);
    return body as Json;
  }
}
