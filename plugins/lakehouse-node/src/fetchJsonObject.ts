/**
 * Calls a URL (GET unless told, a JSON body when given) and returns its JSON
 * object, for metadata sources speaking a system's REST API: a timeout
 * (joined with the caller's signal), and an error from `fail` naming the
 * path (with the HTTP status when there was one) for a non-2xx status, a
 * body that is not JSON, or JSON that is not an object.
 *
 * @public
 */
export async function fetchJsonObject(
  url: URL,
  options: {
    headers: Record<string, string>;
    timeoutMs: number;
    signal?: AbortSignal;
    fetch?: typeof fetch;
    fail: (message: string, status?: number) => Error;
    method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    body?: unknown;
  },
): Promise<Record<string, any>> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, timeout])
    : timeout;
  const method = options.method ?? 'GET';
  const send = () =>
    (options.fetch ?? fetch)(url, {
      method,
      headers: {
        accept: 'application/json',
        ...(options.body === undefined
          ? {}
          : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal,
    });
  let res: Response;
  try {
    res = await send();
  } catch (e) {
    // A pooled keep-alive connection the server closed while idle fails at
    // once ("fetch failed"): a GET is read again once; writes are not.
    if (method !== 'GET' || signal.aborted) throw e;
    res = await send();
  }
  const text = await res.text();
  if (!res.ok)
    throw options.fail(
      `${url.pathname}: HTTP ${res.status} ${text.slice(0, 200)}`,
      res.status,
    );
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw options.fail(`${url.pathname}: not JSON (${text.slice(0, 80)})`);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw options.fail(`${url.pathname}: not a JSON object`);
  return body as Record<string, any>;
}
