import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Welcome to Lakeport

The self-service portal of our ML data platform: find datasets, features and
models, see where data comes from and whether it can be trusted, ask for
access, and start governed pipelines and notebooks.

- **[Catalog](/catalog)**: datasets, teams, domains and systems. Every team
  page lists what it owns.
- **[Teams](/catalog?filters[kind]=group)**: who owns which data, and the
  data-governance stewards who review access to PII.
- **[Create](/create)**: templates for governed pipelines and notebooks.

Signed in through development sign-in? Sign out (Settings) to try the portal
as another user of the sample organisation.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'What Lakeport is and where to start',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
