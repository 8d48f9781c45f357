// Lakeport backend: wiring only. Features live in plugins/.
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { configureMetrics } from './metricsEndpoint';
import { guardSchedulerControl } from './schedulerControl';

const backend = createBackend();

// Prometheus metrics at /metrics, request durations by route template.
backend.add(
  rootHttpRouterServiceFactory({
    configure: ctx => {
      guardSchedulerControl(ctx);
      configureMetrics(ctx);
    },
  }),
);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Production publishes generated projects to GitHub (lakeport.projects.publisher).
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
// Governed projects: contracts and access requests from templates.
backend.add(import('@lakeport/plugin-scaffolder-backend-module-lakehouse'));

// Sign-in: a real provider in production (GitHub configured in
// app-config.production.yaml); any sample user in development config only.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(
  import('@lakeport/plugin-auth-backend-module-lakeport-dev-provider'),
);

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Every lakehouse dataset as a Resource entity of type dataset.
backend.add(import('@lakeport/plugin-catalog-backend-module-lakehouse'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@lakeport/plugin-permission-backend-module-lakeport-policy'),
);

// Lakehouse: datasets, contracts, search; DuckDB is the embedded engine.
backend.add(import('@lakeport/plugin-lakehouse-backend'));
backend.add(import('@lakeport/plugin-lakehouse-backend-module-duckdb'));
backend.add(import('@lakeport/plugin-lakehouse-backend-module-feast'));
backend.add(import('@lakeport/plugin-lakehouse-backend-module-mlflow'));
backend.add(import('@lakeport/plugin-lakehouse-backend-module-kafka'));
backend.add(
  import('@lakeport/plugin-lakehouse-backend-module-postgres-access'),
);

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
// Datasets with their column names and descriptions.
backend.add(import('@lakeport/plugin-search-backend-module-lakehouse'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
