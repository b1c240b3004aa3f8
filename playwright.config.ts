import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

/** A port nothing listens on now, so a run never collides with another server on this machine. */
function freePort(): string {
  const probe = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).stdout.trim();
}
// Chosen once in the runner; its workers and the web server inherit them through the environment.
process.env.E2E_PORT ||= freePort();
process.env.E2E_SMTP_PORT ||= freePort();
const port = Number(process.env.E2E_PORT);
// Where the loopback SMTP server of tests/e2e/server.mjs writes received e-mail; tests read it (tests/e2e/helpers/mail.ts).
process.env.E2E_MAIL_DIR ||= join(tmpdir(), `capacita-e2e-mail-${port}`);
// Debian's Chromium where present (Playwright cannot download browsers on these machines), else Playwright's own.
const executablePath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: `"${process.execPath}" tests/e2e/server.mjs`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
