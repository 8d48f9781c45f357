import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DatasetSummary,
  FeatureAssetSummary,
  ListDatasetsResponse,
  ListFeaturesResponse,
} from '@lakeport/plugin-lakehouse-common';

/**
 * Every active dataset from the lakehouse API, page by page, as another
 * backend plugin (catalog, search) reads it: with its own service token.
 *
 * @public
 */
export async function* readAllDatasets(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  include?: Array<'columns'>;
}): AsyncGenerator<DatasetSummary> {
  const { discovery, auth } = options;
  const baseUrl = await discovery.getBaseUrl('lakehouse');
  const include = options.include?.length
    ? `&include=${options.include.join(',')}`
    : '';
  let cursor: string | undefined;
  do {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'lakehouse',
    });
    const url = `${baseUrl}/datasets?limit=100&sort=name${include}${
      cursor ? `&cursor=${cursor}` : ''
    }`;
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const page = (await response.json()) as ListDatasetsResponse;
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * Every feature view and feature service (with their features) from the
 * lakehouse API, page by page, read with the caller's own service token.
 *
 * @public
 */
export async function* readAllFeatureAssets(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): AsyncGenerator<FeatureAssetSummary> {
  const { discovery, auth } = options;
  const baseUrl = await discovery.getBaseUrl('lakehouse');
  let cursor: string | undefined;
  do {
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'lakehouse',
    });
    const url = `${baseUrl}/features?limit=200&sort=name&include=features${
      cursor ? `&cursor=${cursor}` : ''
    }`;
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const page = (await response.json()) as ListFeaturesResponse;
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}
