import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { e2ePorts } from './support/ports';

const { app } = e2ePorts();

/**
 * End-to-end tests in Debian's Chromium against the production build (`next start`), a real
 * embedded PostgreSQL and a real OpenID Provider (lib/demo-idp, oidc-provider), all on 127.0.0.1.
 * The global setup starts and seeds them; its teardown stops them.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  outputDir: path.join(import.meta.dirname, '../.roster/test-results'),
  globalSetup: './support/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${app}`,
    browserName: 'chromium',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
