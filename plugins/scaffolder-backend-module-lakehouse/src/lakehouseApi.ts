import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** The lakehouse plugin's HTTP API, called on behalf of whoever runs the template. */
export interface LakehouseApi {
  get<T>(path: string, credentials: BackstageCredentials): Promise<T>;
  post<T>(
    path: string,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<T>;
}

export function lakehouseApi(deps: {
  discovery: DiscoveryService;
  auth: AuthService;
  fetch?: typeof fetch;
}): LakehouseApi {
  const call = async <T>(
    path: string,
    credentials: BackstageCredentials,
    init: RequestInit = {},
  ): Promise<T> => {
    const { token } = await deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'lakehouse',
    });
    const base = await deps.discovery.getBaseUrl('lakehouse');
    const res = await (deps.fetch ?? fetch)(`${base}${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        authorization: `Bearer ${token}`,
      },
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return (await res.json()) as T;
  };
  return {
    get: (path, credentials) => call(path, credentials),
    post: (path, body, credentials) =>
      call(path, credentials, { method: 'POST', body: JSON.stringify(body) }),
  };
}
