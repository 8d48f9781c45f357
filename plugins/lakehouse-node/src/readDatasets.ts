import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DatasetSummary,
  FeatureAssetSummary,
  ModelSummary,
} from '@lakeport/plugin-lakehouse-common';

/**
 * Every item of a paged lakehouse list (`items` and `nextCursor`), as
 * another backend plugin (catalog, search) reads it: with its own service
 * token.
 */
async function* readAllPages<T>(
  options: { discovery: DiscoveryService; auth: AuthService },
  path: string,
): AsyncGenerator<T> {
  const { discovery, auth } = options;
  const baseUrl = await discovery.getBaseUrl('lakehouse');
  let cursor: string | undefined;
  do {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'lakehouse',
    });
    const url = `${baseUrl}${path}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const page = (await response.json()) as {
      items: T[];
      nextCursor?: string;
    };
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * Every active dataset from the lakehouse API, page by page.
 *
 * @public
 */
export function readAllDatasets(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  include?: Array<'columns'>;
}): AsyncGenerator<DatasetSummary> {
  const include = options.include?.length
    ? `&include=${options.include.join(',')}`
    : '';
  return readAllPages(options, `/datasets?limit=100&sort=name${include}`);
}

/**
 * Every feature view and feature service (with their features) from the
 * lakehouse API, page by page.
 *
 * @public
 */
export function readAllFeatureAssets(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): AsyncGenerator<FeatureAssetSummary> {
  return readAllPages(
    options,
    '/features?limit=200&sort=name&include=features',
  );
}

/**
 * Every registered model (MLflow) from the lakehouse API, page by page.
 *
 * @public
 */
export function readAllModels(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): AsyncGenerator<ModelSummary> {
  return readAllPages(options, '/models?limit=200&sort=name');
}
