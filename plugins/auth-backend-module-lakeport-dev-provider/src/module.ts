import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { InputError, NotAllowedError } from '@backstage/errors';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DEV_PROVIDER_ID,
  DEV_SIGN_IN_DISABLED_MESSAGE,
  DEV_USER_HEADER,
  isDevSignInEnabled,
} from './devSignIn';
import { createDevUsersRouter } from './devUsersRouter';

/**
 * Auth provider `lakeport-dev`: sign in as the catalog user named in the
 * `x-lakeport-dev-user` header. Also serves `GET /api/auth/dev-users`, the list
 * the development sign-in page offers. Both refuse outside development config.
 *
 * @public
 */
export const authModuleLakeportDevProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'lakeport-dev-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        catalog: catalogServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
      },
      async init({ providers, config, httpRouter, catalog, auth, logger }) {
        const enabled = isDevSignInEnabled(config);
        if (enabled) {
          logger.warn(
            'Development sign-in is ON: anyone can sign in as any user. Never use this config in production.',
          );
        }

        const authenticator = createProxyAuthenticator({
          defaultProfileTransform: async (result: {
            userRef: string;
            profile: { displayName?: string; email?: string };
          }) => ({ profile: result.profile }),
          initialize: () => ({ enabled }),
          async authenticate({ req }, ctx) {
            if (!ctx.enabled) {
              throw new NotAllowedError(DEV_SIGN_IN_DISABLED_MESSAGE);
            }
            const raw = req.header(DEV_USER_HEADER);
            if (!raw) {
              throw new InputError(
                `Missing ${DEV_USER_HEADER} header naming the user to sign in as, e.g. user:default/ana`,
              );
            }
            let userRef: string;
            try {
              userRef = stringifyEntityRef(
                parseEntityRef(raw, { defaultKind: 'user' }),
              );
            } catch (e) {
              throw new InputError(`Invalid ${DEV_USER_HEADER} header: ${e}`);
            }
            const entity = await catalog.getEntityByRef(userRef, {
              credentials: await auth.getOwnServiceCredentials(),
            });
            const profile = (entity?.spec?.profile ?? {}) as {
              displayName?: string;
              email?: string;
            };
            return {
              result: {
                userRef,
                profile: {
                  displayName: profile.displayName,
                  email: profile.email,
                },
              },
            };
          },
        });

        providers.registerProvider({
          providerId: DEV_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator,
            // Only users that exist in the catalog; their groups become
            // ownership refs, exactly as with a real provider.
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.userRef }),
          }),
        });

        httpRouter.use(await createDevUsersRouter({ enabled, catalog, auth }));
        httpRouter.addAuthPolicy({
          path: '/dev-users',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
