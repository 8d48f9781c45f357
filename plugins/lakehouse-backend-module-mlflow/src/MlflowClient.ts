import { fetchJsonObject } from '@lakeport/plugin-lakehouse-node';

/** Thrown when a tracking server fails or answers something MLflow does not send. */
export class MlflowResponseError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

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
    return this.call(url, { signal });
  }

  /** A write (MLflow takes POST, PATCH and DELETE bodies as JSON). */
  async send(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: Json,
  ): Promise<Json> {
    return this.call(new URL(`/api/2.0/mlflow/${path}`, this.options.baseUrl), {
      method,
      body,
    });
  }

  /** A text file of a logged model (e.g. its `MLmodel`), through the UI's artifact route. */
  async loggedModelFile(
    modelId: string,
    file: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const url = new URL(
      `/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(
        modelId,
      )}/artifacts/files`,
      this.options.baseUrl,
    );
    url.searchParams.set('artifact_file_path', file);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const res = await (this.options.fetch ?? fetch)(url, {
      headers: this.authHeaders(),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    if (!res.ok)
      throw new MlflowResponseError(
        `${url.pathname}: HTTP ${res.status}`,
        res.status,
      );
    return text;
  }

  private authHeaders(): Record<string, string> {
    const { username, password } = this.options;
    return username
      ? {
          authorization: `Basic ${Buffer.from(
            `${username}:${password ?? ''}`,
          ).toString('base64')}`,
        }
      : {};
  }

  private call(
    url: URL,
    options: {
      signal?: AbortSignal;
      method?: 'POST' | 'PATCH' | 'DELETE';
      body?: Json;
    },
  ): Promise<Json> {
    return fetchJsonObject(url, {
      headers: this.authHeaders(),
      timeoutMs: this.options.timeoutMs ?? 30_000,
      signal: options.signal,
      method: options.method,
      body: options.body,
      fetch: this.options.fetch,
      fail: (message, status) => new MlflowResponseError(message, status),
    });
  }
}
