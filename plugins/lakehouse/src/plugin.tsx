import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import StorageIcon from '@material-ui/icons/Storage';
import { lakehouseApiRef } from './api/LakehouseApi';
import { LakehouseClient } from './api/LakehouseClient';

const isDataset = (entity: Entity) =>
  entity.kind.toLowerCase() === 'resource' && entity.spec?.type === 'dataset';

/** @public */
export const datasetsRouteRef = createRouteRef();

const lakehouseApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: lakehouseApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new LakehouseClient(deps),
    }),
});

const datasetsPage = PageBlueprint.make({
  params: {
    path: '/datasets',
    routeRef: datasetsRouteRef,
    title: 'Datasets',
    icon: <StorageIcon />,
    loader: () =>
      import('./components/DatasetsPage/DatasetsPage').then(m => (
        <m.DatasetsPage />
      )),
  },
});

const datasetOverview = EntityContentBlueprint.make({
  name: 'dataset',
  params: {
    path: '/dataset',
    title: 'Dataset',
    filter: isDataset,
    loader: () =>
      import('./components/DatasetEntity/DatasetOverviewContent').then(m => (
        <m.DatasetOverviewContent />
      )),
  },
});

const datasetSchema = EntityContentBlueprint.make({
  name: 'schema',
  params: {
    path: '/schema',
    title: 'Schema',
    filter: isDataset,
    loader: () =>
      import('./components/DatasetEntity/DatasetSchemaContent').then(m => (
        <m.DatasetSchemaContent />
      )),
  },
});

const datasetPreview = EntityContentBlueprint.make({
  name: 'preview',
  params: {
    path: '/preview',
    title: 'Preview',
    filter: isDataset,
    loader: () =>
      import('./components/DatasetEntity/DatasetPreviewContent').then(m => (
        <m.DatasetPreviewContent />
      )),
  },
});

const datasetLineage = EntityContentBlueprint.make({
  name: 'lineage',
  params: {
    path: '/lineage',
    title: 'Lineage',
    filter: isDataset,
    loader: () =>
      import('./components/Lineage/LineageContent').then(m => (
        <m.LineageContent />
      )),
  },
});

/**
 * Lakeport's lakehouse plugin: the Datasets page and the Dataset, Schema and
 * Preview and Lineage tabs on dataset
 * entity pages.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'lakehouse',
  routes: { datasets: datasetsRouteRef },
  extensions: [
    lakehouseApi,
    datasetsPage,
    datasetOverview,
    datasetSchema,
    datasetPreview,
    datasetLineage,
  ],
});
