import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAccessRequestAction } from './actions/accessRequest';
import { createContractGenerateAction } from './actions/contractGenerate';
import { createContractValidateAction } from './actions/contractValidate';
import { lakehouseApi } from './lakehouseApi';

/**
 * Lakeport's scaffolder actions: contracts for a project's output and
 * access requests for its inputs, through the lakehouse API on behalf of
 * the person running the template.
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
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, discovery, auth }) {
        const api = lakehouseApi({ discovery, auth });
        scaffolder.addActions(
          createContractGenerateAction({ api }),
          createContractValidateAction({ api }),
          createAccessRequestAction({ api }),
        );
      },
    });
  },
});
