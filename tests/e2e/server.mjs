// The server the browser tests talk to: a fresh embedded database in a temp folder, migrated and seeded with the
// demo accounts and a small synthetic population, then the built app. A real SMTP server on loopback receives the
// app's e-mail and writes each message to E2E_MAIL_DIR (set by playwright.config.ts), where tests read them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

const dir = mkdtempSync(join(tmpdir(), 'capacita-e2e-'));
const mailDir = process.env.E2E_MAIL_DIR || join(dir, 'mail');
rmSync(mailDir, { recursive: true, force: true });
mkdirSync(mailDir, { recursive: true });
let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (chunk) => chunks.push(chunk));
    stream.on('end', () => {
      const message = { to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks).toString('utf8') };
      writeFileSync(join(mailDir, `${Date.now()}-${String(++received).padStart(6, '0')}.json`), JSON.stringify(message));
      callback();
    });
  },
});
const smtpPort = Number(process.env.E2E_SMTP_PORT || 2526);
await new Promise((resolve, reject) => {
  smtp.once('error', reject);
  smtp.listen(smtpPort, '127.0.0.1', resolve);
});

const env = {
  ...process.env,
  DATABASE_URL: `file:${join(dir, 'capacita.db')}`,
  CAPACITA_DEMO: '1',
  // Only the two-factor test's own flow uses a second factor (a coordinator enrols voluntarily).
  CAPACITA_REQUIRE_2FA: '0',
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  // The address the privacy page publishes for vulnerability reports (tests/e2e/privacy.spec.ts).
  SECURITY_CONTACT: 'seguridad@capacita.test',
  // Argon2 at a test-only cost (src/server/auth/password.ts): every registration and sign-in of the suite hashes.
  CAPACITA_TEST_CHEAP_PASSWORD_HASH: '1',
  HOST: '127.0.0.1',
  PORT: process.env.E2E_PORT || '4329',
};
const outDir = process.env.CAPACITA_OUT_DIR || './dist-test';

for (const args of [['db/setup-cli.ts'], ['db/seed/demo-cli.ts', '--if-empty', '--officials', process.env.E2E_OFFICIALS || '400']]) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Served the way `npm start` serves (scripts/serve.mjs: the static files get the security headers there), one worker.
const server = spawn(process.execPath, ['scripts/serve.mjs', join(outDir, 'server/entry.mjs')], { stdio: 'inherit', env: { ...env, CAPACITA_WORKERS: '1' } });
const stop = () => {
  server.kill('SIGTERM');
  smtp.close();
  rmSync(dir, { recursive: true, force: true });
};
process.on('SIGTERM', () => { stop(); process.exit(0); });
process.on('SIGINT', () => { stop(); process.exit(0); });
server.on('exit', (code) => { smtp.close(); rmSync(dir, { recursive: true, force: true }); process.exit(code ?? 0); });
