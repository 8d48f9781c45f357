/**
 * GETs a URL and returns its JSON object, for metadata sources reading a
 * system's REST API: a timeout (joined with the caller's signal), and an
 * error from `fail` naming the path for a non-2xx status, a body that is
 * not JSON, or JSON that is not an object.
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
    fail: (message: string) => Error;
  },
): Promise<Record<string, any>> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const res = await (options.fetch ?? fetch)(url, {
    headers: { accept: 'application/json', ...options.headers },
    signal: options.signal
      ? AbortSignal.any([options.signal, timeout])
      : timeout,
  });
  const text = await res.text();
  if (!res.ok)
    throw options.fail(
      `${url.pathname}: HTTP ${res.status} ${text.slice(0, 200)}`,
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
