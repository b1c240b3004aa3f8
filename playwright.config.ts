import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium where present (Playwright cannot download browsers on these machines), else Playwright's own.
const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

// Each worker has a demo server of its own (tests/e2e/helpers/fixture.ts), so spec files run side by side without
// sharing people, sessions or e-mail. Two by default, measured best on the two-core machines this runs on (see
// docs/ARCHITECTURE.md, "Tests"); E2E_WORKERS sets another number.
const workers = Number(process.env.E2E_WORKERS) || Math.min(2, availableParallelism());

export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: false,
  workers,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    // Recording a trace costs about a fifth of the suite's CPU even when it is thrown away (retain-on-failure: 56 s →
    // 43 s of CPU for learning + accounts; screenshots are not what costs, the DOM snapshots are). To debug a failure,
    // run the spec again with --trace=retain-on-failure (npm test -- --trace=retain-on-failure passes it on).
    trace: 'off',
    // Requests a service worker makes are invisible to page.route, so a spec that fakes or blocks a file would test
    // the worker's fetch instead; tests/e2e/offline.spec.ts turns the worker on for itself.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
});
