import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderTemplatingExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { projectPublishing, templateFilters } from './templateFilters';
import { createAccessRequestAction } from './actions/accessRequest';
import { createContractGenerateAction } from './actions/contractGenerate';
import { createContractValidateAction } from './actions/contractValidate';
import { createDatasetPlanAction } from './actions/datasetPlan';
import { createPublishLocalAction } from './actions/publishLocal';
import { createTemplateAuditAction } from './actions/templateAudit';
import { createTopicCreateAction } from './actions/topicCreate';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import path from 'node:path';
import { lakehouseApi } from './lakehouseApi';

/**
 * Lakeport's scaffolder actions: contracts and the planned lineage of a
 * project's output, access requests for its inputs (through the lakehouse
 * API on behalf of the person running the template), the audit of a
 * template run, and the embedded default's local git publisher.
 *
 * @public
 */
export const scaffolderModuleLakehouse = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'lakehouse',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        templating: scaffolderTemplatingExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        templating,
        discovery,
        auth,
        auditor,
        config,
        events,
        catalog,
      }) {
        templating.addTemplateFilters(templateFilters);
        templating.addTemplateGlobals({
          lakeportProjects: projectPublishing(config),
        });
        const api = lakehouseApi({ discovery, auth });
        const gitDirectory = config.getOptionalString(
          'lakeport.projects.gitDirectory',
        );
        scaffolder.addActions(
          createTemplateAuditAction({ auditor }),
          createContractGenerateAction({ api }),
          createContractValidateAction({ api }),
          createAccessRequestAction({ api }),
          createDatasetPlanAction({ api }),
          createTopicCreateAction({ api }),
          createPublishLocalAction({
            gitDirectory: gitDirectory && path.resolve(gitDirectory),
            events,
            catalog,
          }),
        );
      },
    });
  },
});
