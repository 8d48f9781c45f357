import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

// Every workspace package with an e2e-tests/ folder is a project.
const packageDirs = ['packages', 'plugins'].flatMap(parent =>
  fs
    .readdirSync(path.join(__dirname, parent))
    .map(name => path.join(__dirname, parent, name))
    .filter(dir => fs.existsSync(path.join(dir, 'e2e-tests'))),
);

export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [
    ['list'],
    ['json', { outputFile: 'test-results/e2e-results.json' }],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  // Starts the portal as the README does, unless one already answers (the
  // test command starts the production build on PostgreSQL first, on 7007).
  webServer: {
    command: 'scripts/start',
    url: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    reuseExistingServer: true,
    timeout: 600_000,
  },
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    browserName: 'chromium',
    // Debian's Chromium: browser downloads are not possible here.
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    // A click or navigation that cannot happen fails within a minute,
    // not at the end of a long test's own timeout.
    actionTimeout: 60_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  outputDir: 'test-results/e2e',
  projects: packageDirs.map(dir => ({
    name: path.basename(dir),
    testDir: path.join(dir, 'e2e-tests'),
  })),
});
