import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const signInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => (await import('./DevSignInPage')).DevSignInPage,
  },
});

/** Lakeport's sign-in page (development chooser or real providers). */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [signInPage],
});
