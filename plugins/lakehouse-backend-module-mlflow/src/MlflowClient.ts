import { fetchJsonObject } from '@lakeport/plugin-lakehouse-node';

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
    const { username, password } = this.options;
    return fetchJsonObject(url, {
      headers: username
        ? {
            authorization: `Basic ${Buffer.from(
              `${username}:${password ?? ''}`,
            ).toString('base64')}`,
          }
        : {},
      timeoutMs: this.options.timeoutMs ?? 30_000,
      signal,
      fetch: this.options.fetch,
      fail: message => new MlflowResponseError(message),
    });
  }
}
