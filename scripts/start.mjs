// `npm start`: build when the sources changed, prepare the database (migrations, reference and demo data), serve.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { testOnlyHashCostProblem } from '../src/server/auth/test-hash-cost.ts';
import { resolvePublicOrigin } from '../src/server/auth/public-origin.ts';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

const ENTRY = 'dist/server/entry.mjs';
const SOURCES = ['src', 'content', 'db', 'public', 'astro.config.mjs', 'package.json'];
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

function run(args, label) {
  console.log(`\n▸ ${label}`);
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed (exit code ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

// Refused before a build or a migration is spent on it (scripts/serve.mjs refuses the same way).
const origin = resolvePublicOrigin({ publicOrigin: process.env.PUBLIC_ORIGIN, demo: process.env.CAPACITA_DEMO !== '0', host: process.env.HOST, port: process.env.PORT });
if (!origin.ok) {
  console.error(`\n✗ Capacita will not start: ${origin.problem}`);
  process.exit(1);
}
const weakHashes = testOnlyHashCostProblem(process.env);
if (weakHashes) {
  console.error(`\n✗ Capacita will not start: ${weakHashes}`);
  process.exit(1);
}

const builtAt = existsSync(ENTRY) ? statSync(ENTRY).mtimeMs : 0;
if (builtAt === 0 || SOURCES.some((path) => newestChange(path) > builtAt)) {
  run(['node_modules/astro/bin/astro.mjs', 'build'], 'Building Capacita');
}
run(['db/setup-cli.ts'], 'Preparing the database');

const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '4321';
const demo = process.env.CAPACITA_DEMO !== '0';
if (demo) run(['db/seed/demo-cli.ts', '--if-empty'], 'Loading demo data (first run only)');

console.log(`\nCapacita is starting on http://${host}:${port}/`);
if (demo) {
  const { DEMO_ACCOUNTS, DEMO_PASSWORD } = await import('../db/seed/demo-accounts.ts');
  console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
  for (const account of DEMO_ACCOUNTS) console.log(`  ${account.email.padEnd(34)} ${account.description}`);
}
console.log('');

// One worker process per core (at most 4; CAPACITA_WORKERS sets the number): scripts/serve.mjs.
// With the memory flags of scripts/server-flags.mjs (the workers inherit them).
const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, 'scripts/serve.mjs', ENTRY], { stdio: 'inherit', env: { ...env, HOST: host, PORT: port } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
