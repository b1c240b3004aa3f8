// Serves a build with several worker processes sharing one port (node:cluster), so a node uses every core it has.
//
//   node scripts/serve.mjs [dist/server/entry.mjs]      CAPACITA_WORKERS=4 node scripts/serve.mjs
//
// Workers keep no state of their own (sessions, throttling, queues are rows in the database), so any worker may answer
// any request; on the embedded file they are several writers of one SQLite database in WAL mode, which SQLite's own
// locking serialises (db/busy.ts retries a busy write, never a 500). A worker that dies is replaced; SIGINT/SIGTERM
// stop them all. CAPACITA_WORKERS=1 runs the build in this process, without a cluster.
import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { testOnlyHashCostProblem } from '../src/server/auth/test-hash-cost.ts';
import { resolvePublicOrigin } from '../src/server/auth/public-origin.ts';
import { securityHeaders } from '../src/server/http/security-headers.ts';
import { mayCompress } from '../src/server/http/compression-policy.ts';
import compression from 'compression';

const entry = resolve(process.argv[2] ?? 'dist/server/entry.mjs');
const requested = process.env.CAPACITA_WORKERS;
// Each worker holds its own copy of the content and caches (≈ 300–400 MB under load): four is plenty for one machine.
const workers = requested ? Number(requested) : Math.min(availableParallelism(), 4);
if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
  console.error(`CAPACITA_WORKERS must be a whole number from 1 to 64 (got "${requested}").`);
  process.exit(2);
}

/** Fails fast with a clear message when the address is taken (a cluster worker would otherwise wait silently). */
async function ensurePortFree(host, port) {
  await new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', (error) => {
      console.error(`Cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is already in use (another Capacita?). Set PORT to another one.' : error.message}`);
      process.exit(1);
    });
    probe.listen(port, host, () => probe.close(resolvePort));
  });
}

// Links in e-mails and QR codes come from configuration, never from a request: outside the demo, no PUBLIC_ORIGIN, no server.
if (cluster.isPrimary) {
  const origin = resolvePublicOrigin({ publicOrigin: process.env.PUBLIC_ORIGIN, demo: process.env.CAPACITA_DEMO !== '0', host: process.env.HOST, port: process.env.PORT });
  if (!origin.ok) {
    console.error(`Capacita will not start: ${origin.problem}`);
    process.exit(1);
  }
  // The browser suite serves through this file with the test-only hash cost; anyone else is told plainly.
  const weakHashes = testOnlyHashCostProblem(process.env);
  if (weakHashes) console.warn(`Warning: ${weakHashes}`);
}

// Unset, HOST and PORT fall back to astro.config.mjs's server settings.
if (cluster.isPrimary) await ensurePortFree(process.env.HOST || '127.0.0.1', Number(process.env.PORT || 4321));

if (workers === 1 || !cluster.isPrimary) {
  // @astrojs/node serves dist/client's files before the middleware runs: the security headers are set on every
  // response first (a page's or endpoint's own headers then override them), so static files carry them too.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { startServer } = await import(pathToFileURL(entry).href);
  // Compression as src/server/http/compression-policy.ts decides (never what a signed-in session sees: BREACH).
  const compress = compression({ filter: (request, response) => mayCompress(new URL(request.url ?? '/', 'http://x').pathname, String(response.getHeader('Cache-Control') ?? '')) && compression.filter(request, response) });
  startServer().server.server.prependListener('request', (request, response) => {
    for (const [name, value] of securityHeaders(Boolean(request.socket.encrypted))) response.setHeader(name, value);
    compress(request, response, () => {});
  });
} else {
  let stopping = false;
  const RESTART_WINDOW_MS = 10_000;
  const restarts = [];
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // A worker that keeps dying at once (a port in use, a broken build) stops the server instead of looping.
    const now = Date.now();
    restarts.push(now);
    while (restarts[0] < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > workers * 3) {
      console.error(`Workers keep exiting (last: code ${code}, signal ${signal}); stopping.`);
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
      process.exit(1);
    }
    console.error(`Worker ${worker.process.pid} exited (code ${code}, signal ${signal}); starting another.`);
    cluster.fork();
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.kill(signal);
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
}
