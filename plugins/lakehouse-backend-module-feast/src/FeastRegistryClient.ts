import { fetchJsonObject } from '@lakeport/plugin-lakehouse-node';

/** Thrown when a registry answers something that is not what Feast sends. */
export class FeastResponseError extends Error {}

const PAGE_SIZE = 100;

/**
 * Reads Feast's registry REST server (`feast serve_registry --rest-api`,
 * FastAPI under `/api/v1`). Per-project lists paginate only when both
 * `page` and `limit` are sent; the pagination keys have varied between
 * versions (`hasNext`, `has_next`, `totalPages`, `total_pages`), so paging
 * stops on whichever says so, or on a short page.
 */
export class FeastRegistryClient {
  constructor(
    private readonly options: {
      baseUrl: string;
      token?: string;
      timeoutMs?: number;
      fetch?: typeof fetch;
    },
  ) {}

  async version(signal?: AbortSignal): Promise<string | undefined> {
    const body = await this.get('/api/v1/version', {}, signal);
    return typeof body.version === 'string' ? body.version : undefined;
  }

  async projects(signal?: AbortSignal): Promise<string[]> {
    const items = await this.list('/api/v1/projects', 'projects', {}, signal);
    return items.map((p, i) => {
      const name = (p.spec as Json | undefined)?.name ?? p.name;
      if (typeof name !== 'string')
        throw new FeastResponseError(`projects[${i}] has no spec.name`);
      return name;
    });
  }

  /** All items of a per-project list, page by page. */
  async list(
    path: string,
    key: string,
    query: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Json[]> {
    const items: Json[] = [];
    for (let page = 1; ; page++) {
      const body = await this.get(
        path,
        { ...query, page: String(page), limit: String(PAGE_SIZE) },
        signal,
      );
      const pageItems = body[key];
      if (pageItems === undefined && page === 1) {
        // An empty list: FastAPI models may drop the key.
        if (Object.keys(body).every(k => k === 'pagination')) return items;
      }
      if (!Array.isArray(pageItems))
        throw new FeastResponseError(
          `${path}: expected "${key}" to be a list, got ${typeof pageItems}`,
        );
      items.push(...(pageItems as Json[]));
      const p = (body.pagination ?? {}) as Json;
      const hasNext = p.hasNext ?? p.has_next;
      const totalPages = p.totalPages ?? p.total_pages;
      if (hasNext === true) continue;
      if (typeof totalPages === 'number' && page < totalPages) continue;
      if (hasNext === undefined && totalPages === undefined) {
        // No pagination keys at all: a full page may mean more follow.
        if (pageItems.length >= PAGE_SIZE) continue;
      }
      return items;
    }
  }

  private async get(
    path: string,
    query: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Json> {
    const url = new URL(path, this.options.baseUrl);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    return fetchJsonObject(url, {
      headers: this.options.token
        ? { authorization: `Bearer ${this.options.token}` }
        : {},
      timeoutMs: this.options.timeoutMs ?? 30_000,
      signal,
      fetch: this.options.fetch,
      fail: message => new FeastResponseError(message),
    });
  }
}

/** A JSON object as Feast sends it (protobuf JSON, camelCase keys). */
export type Json = Record<string, any>;
