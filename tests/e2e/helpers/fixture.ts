// The demo server every browser spec talks to, one per Playwright worker: specs import `test` and `expect` from here
//
//   import { expect, test } from './helpers/fixture.ts';
//
// and get, as always, `page`, `request`, `browser.newContext()` and `playwright.request.newContext()` pointed at it
// (the `baseURL` fixture). Each worker starts tests/e2e/server.mjs on ports of its own, with its own temp database
// (migrated, demo accounts, a small synthetic population) and its own mail folder, so two workers never see each
// other's people, sessions or e-mail. The spec files one worker runs still share its server, in the order it runs
// them: register fresh people (`register()` in ./course.ts) or create your own data rather than changing a demo
// account.
//
// What a spec may read of its worker's server:
//   - `baseURL` (fixture): http://127.0.0.1:<port>; never `test.info().project.use.baseURL` (there is none).
//   - `demoServer` (fixture): { baseURL, mailDir, smtpPort } — the loopback SMTP server of server.mjs is on smtpPort
//     (for a spec that starts a second app node that must deliver to the same mail folder).
//   - ./mail.ts reads the mail folder by itself (`waitForMail`, `deliveredMail`).
// The resilience specs, which start servers of their own (../support/instance.ts), import `test` from
// '@playwright/test' and pay for no demo server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';

// Everything else (expect, types such as Page) is Playwright's own, so a spec changes only its import path.
export * from '@playwright/test';

export interface DemoServer {
  baseURL: string;
  mailDir: string;
  smtpPort: number;
}

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

// Migrating and seeding 400 officials takes a few seconds alone and much longer on a loaded two-core machine.
const STARTUP_MS = 180_000;

async function waitUntilUp(child: ChildProcess, baseURL: string, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`tests/e2e/server.mjs exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    try {
      if ((await fetch(`${baseURL}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`tests/e2e/server.mjs did not answer ${baseURL}/healthz within ${STARTUP_MS} ms:\n${output()}`);
}

export const test = base.extend<object, { demoServer: DemoServer }>({
  demoServer: [
    async ({}, use) => {
      const port = await freePort();
      const smtpPort = await freePort();
      const mailDir = mkdtempSync(join(tmpdir(), `capacita-e2e-mail-${port}-`));
      const child = spawn(process.execPath, ['tests/e2e/server.mjs'], {
        env: { ...process.env, E2E_PORT: String(port), E2E_SMTP_PORT: String(smtpPort), E2E_MAIL_DIR: mailDir },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString()).slice(-20_000);
      });
      const baseURL = `http://127.0.0.1:${port}`;
      try {
        await waitUntilUp(child, baseURL, () => stderr);
        // ./mail.ts and specs that start a second node read these; each worker is its own process.
        process.env.E2E_MAIL_DIR = mailDir;
        process.env.E2E_SMTP_PORT = String(smtpPort);
        await use({ baseURL, mailDir, smtpPort });
      } finally {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
        rmSync(mailDir, { recursive: true, force: true });
      }
    },
    { scope: 'worker', timeout: STARTUP_MS + 20_000 },
  ],
  baseURL: async ({ demoServer }, use) => {
    await use(demoServer.baseURL);
  },
});
