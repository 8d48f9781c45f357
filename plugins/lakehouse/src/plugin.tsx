import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';
import { Entity } from '@backstage/catalog-model';
import StorageIcon from '@material-ui/icons/Storage';
import FavoriteIcon from '@material-ui/icons/Favorite';
import LockOpenIcon from '@material-ui/icons/LockOpen';
import CategoryIcon from '@material-ui/icons/Category';
import ModelIcon from '@material-ui/icons/Timeline';
import { lakehouseApiRef } from './api/LakehouseApi';
import { LakehouseClient } from './api/LakehouseClient';

const isDataset = (entity: Entity) =>
  entity.kind.toLowerCase() === 'resource' && entity.spec?.type === 'dataset';
const isFeatureAsset = (entity: Entity) =>
  entity.kind.toLowerCase() === 'resource' &&
  (entity.spec?.type === 'feature-view' ||
    entity.spec?.type === 'feature-service');

const isModel = (entity: Entity) =>
  entity.kind.toLowerCase() === 'resource' && entity.spec?.type === 'ml-model';

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
    filter: (entity: Entity) =>
      isDataset(entity) || isFeatureAsset(entity) || isModel(entity),
    loader: () =>
      import('./components/Lineage/LineageContent').then(m => (
        <m.LineageContent />
      )),
  },
});

const datasetQuality = EntityContentBlueprint.make({
  name: 'quality',
  params: {
    path: '/quality',
    title: 'Quality',
    filter: isDataset,
    loader: () =>
      import('./components/Quality/QualityContent').then(m => (
        <m.QualityContent />
      )),
  },
});

/** @public */
export const featuresRouteRef = createRouteRef();

const featuresPage = PageBlueprint.make({
  name: 'features',
  params: {
    path: '/features',
    routeRef: featuresRouteRef,
    title: 'Features',
    icon: <CategoryIcon />,
    loader: () =>
      import('./components/FeaturesPage/FeaturesPage').then(m => (
        <m.FeaturesPage />
      )),
  },
});

/** An entity tab whose content a lazily loaded module renders. */
const entityTab = (
  name: string,
  title: string,
  filter: (entity: Entity) => boolean,
  load: () => Promise<JSX.Element>,
) =>
  EntityContentBlueprint.make({
    name,
    params: { path: `/${name}`, title, filter, loader: load },
  });

const featureTab = (
  name: string,
  title: string,
  component:
    | 'FeatureOverviewContent'
    | 'FeatureFeaturesContent'
    | 'FeatureSourcesContent'
    | 'FeatureUsedByContent'
    | 'FeatureUseItContent',
) =>
  entityTab(name, title, isFeatureAsset, () =>
    import('./components/FeatureEntity/FeatureAssetContent').then(m => {
      const Content = m[component];
      return <Content />;
    }),
  );

const featureTabs = [
  featureTab('feature-overview', 'Feature overview', 'FeatureOverviewContent'),
  featureTab('features', 'Features', 'FeatureFeaturesContent'),
  featureTab('feature-sources', 'Sources', 'FeatureSourcesContent'),
  featureTab('used-by', 'Used by', 'FeatureUsedByContent'),
  featureTab('use-it', 'Use it', 'FeatureUseItContent'),
];

/** @public */
export const modelsRouteRef = createRouteRef();

const modelsPage = PageBlueprint.make({
  name: 'models',
  params: {
    path: '/models',
    routeRef: modelsRouteRef,
    title: 'Models',
    icon: <ModelIcon />,
    loader: () =>
      import('./components/ModelsPage/ModelsPage').then(m => <m.ModelsPage />),
  },
});

const modelTab = (
  name: string,
  title: string,
  component:
    | 'ModelOverviewContent'
    | 'ModelVersionsContent'
    | 'ModelCompareContent'
    | 'ModelTrainingDataContent'
    | 'ModelPromotionsContent',
) =>
  entityTab(name, title, isModel, () =>
    import('./components/ModelEntity/ModelContent').then(m => {
      const Content = m[component];
      return <Content />;
    }),
  );

// "Overview" is the catalog's own tab: ours is "Model".
const modelTabs = [
  modelTab('model', 'Model', 'ModelOverviewContent'),
  modelTab('versions', 'Versions', 'ModelVersionsContent'),
  modelTab('compare', 'Compare', 'ModelCompareContent'),
  modelTab('training-data', 'Training data', 'ModelTrainingDataContent'),
];
// After Lineage (tabs follow the order of extensions).
const modelPromotionsTab = modelTab(
  'promotions',
  'Promotions',
  'ModelPromotionsContent',
);

/** @public */
export const dataHealthRouteRef = createRouteRef();

const dataHealthPage = PageBlueprint.make({
  name: 'data-health',
  params: {
    path: '/data-health',
    routeRef: dataHealthRouteRef,
    title: 'My data health',
    icon: <FavoriteIcon />,
    loader: () =>
      import('./components/Quality/DataHealthPage').then(m => (
        <m.DataHealthPage />
      )),
  },
});

const datasetAccess = EntityContentBlueprint.make({
  name: 'access',
  params: {
    path: '/access',
    title: 'Access',
    filter: isDataset,
    loader: () =>
      import('./components/Access/AccessContent').then(m => (
        <m.AccessContent />
      )),
  },
});

/** @public */
export const myAccessRouteRef = createRouteRef();

/** @public */
export const reviewsRouteRef = createRouteRef();

const myAccessPage = PageBlueprint.make({
  name: 'access',
  params: {
    path: '/access',
    routeRef: myAccessRouteRef,
    title: 'My access',
    icon: <LockOpenIcon />,
    loader: () =>
      import('./components/Access/MyAccessPage').then(m => <m.MyAccessPage />),
  },
});

const reviewsPage = PageBlueprint.make({
  name: 'access-reviews',
  params: {
    path: '/access-reviews',
    routeRef: reviewsRouteRef,
    title: 'Reviews',
    loader: () =>
      import('./components/Access/ReviewsPage').then(m => <m.ReviewsPage />),
  },
});

/** `ui:field: LakehouseDatasetPicker` in templates. */
const datasetPickerField = FormFieldBlueprint.make({
  name: 'dataset-picker',
  params: {
    field: () =>
      import('./components/DatasetPicker').then(m =>
        createFormField({
          name: 'LakehouseDatasetPicker',
          component: m.DatasetPicker,
        }),
      ),
  },
});

/** `ui:field: LakehouseFeatureServicePicker` in templates. */
const featureServicePickerField = FormFieldBlueprint.make({
  name: 'feature-service-picker',
  params: {
    field: () =>
      import('./components/FeatureServicePicker').then(m =>
        createFormField({
          name: 'LakehouseFeatureServicePicker',
          component: m.FeatureServicePicker,
        }),
      ),
  },
});

/**
 * Lakeport's lakehouse plugin: the Datasets, My data health, My access and
 * Reviews pages, and the Dataset, Schema, Preview, Lineage, Quality and
 * Access tabs on dataset entity pages.
 *
 * @public
 */
export default createFrontendPlugin({
  pluginId: 'lakehouse',
  routes: {
    datasets: datasetsRouteRef,
    features: featuresRouteRef,
    models: modelsRouteRef,
    dataHealth: dataHealthRouteRef,
    myAccess: myAccessRouteRef,
    reviews: reviewsRouteRef,
  },
  extensions: [
    lakehouseApi,
    datasetsPage,
    featuresPage,
    ...featureTabs,
    modelsPage,
    ...modelTabs,
    datasetOverview,
    datasetSchema,
    datasetPreview,
    datasetLineage,
    modelPromotionsTab,
    datasetQuality,
    dataHealthPage,
    datasetAccess,
    myAccessPage,
    reviewsPage,
    datasetPickerField,
    featureServicePickerField,
  ],
});
