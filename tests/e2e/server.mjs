// The server the browser tests talk to: a fresh embedded database in a temp folder, migrated and seeded with the
// demo accounts and a small synthetic population, then the built app.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'capacita-e2e-'));
const env = {
  ...process.env,
  DATABASE_URL: `file:${join(dir, 'capacita.db')}`,
  CAPACITA_DEMO: '1',
  HOST: '127.0.0.1',
  PORT: process.env.E2E_PORT || '4329',
};
const outDir = process.env.CAPACITA_OUT_DIR || './dist-test';

for (const args of [['db/setup-cli.ts'], ['db/seed/demo-cli.ts', '--if-empty', '--officials', process.env.E2E_OFFICIALS || '400']]) {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const server = spawn(process.execPath, [join(outDir, 'server/entry.mjs')], { stdio: 'inherit', env });
const stop = () => {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
};
process.on('SIGTERM', () => { stop(); process.exit(0); });
process.on('SIGINT', () => { stop(); process.exit(0); });
server.on('exit', (code) => { rmSync(dir, { recursive: true, force: true }); process.exit(code ?? 0); });
