// Capacity, measured as ratios side by side in one run (issue 20), on loopback and bounded in time:
//
//   CAPACITA_OUT_DIR=./dist-bench npx astro build
//   node bench/capacity.mjs [--duration 10] [--rounds 3] [--connections 100] [--learners 2000]
//                           [--dashboards-db data/bench-200k.db] [--only single,dashboards,cluster]
//                           [--cluster-ports 4470,8200]
//
// single      one embedded node, one process: /healthz and the signed-in lesson page at 100 closed-loop connections,
//             in turns (the capacity ratio: median of --rounds turns, by throughput and by CPU time per request),
//             then the lesson page paced at 200 req/s (open loop).
// dashboards  the committee and regional dashboards paced at 20 req/s on the 200 000-official database (skipped
//             when --dashboards-db does not exist: `npm run db:demo -- --officials 200000` with DATABASE_URL=file:…).
// cluster     `npm run cluster:local --metrics` (balancer, two nodes, sqld primary and replica): 2 000 quiz starts and
//             2 000 submissions, then public reads (certificate verification, the Guía); statements and HTTP requests
//             (round trips) on the primary and the replica from each sqld's metrics, per phase; every acknowledged
//             write counted in the database afterwards.
// Each phase prints its figure beside its target with ✓ or ✗, every process's peak RSS (target < 300 MB), and the
// load average at the start and the end. The machine is shared: absolute numbers move with the load, ratios less.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client.ts';
import { benchCourse, benchEnv, form, requireBuild, seedLearners as seed, setUpDatabase as setUp, signInCookie, SQLD, startCluster, startNode as startBuiltNode, stopProcess } from './lib/capacita-setup.mjs';
import { cpuMs, load, loadAverage, paced, watchRss } from './lib/load-tools.mjs';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    learners: { type: 'string', default: '2000' },
    'dashboards-db': { type: 'string', default: 'data/bench-200k.db' },
    only: { type: 'string', default: 'single,dashboards,cluster' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: process.env.CAPACITA_OUT_DIR || './dist-test' },
    // The cluster's ports: balancer and nodes from the first, sqld (HTTP; replica +1, metrics +10/+11) from the second.
    'cluster-ports': { type: 'string', default: '4470,8200' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const LEARNERS = Number(values.learners);
const ONLY = new Set(values.only.split(','));
const ROUNDS = Number(values.rounds);
const OUT = values.out;
const RSS_LIMIT_MB = 300;
const env = benchEnv(OUT);
const course = benchCourse();
const lessonPath = `/es/courses/${course.id}/${course.lessons[0]}`;

/** Every figure checked against its target, printed as one table at the end. */
const checks = [];
function check(figure, value, target, ok, note = '') {
  checks.push({ figure, value, target, ok, note });
  console.log(`  ${ok ? '✓' : '✗'} ${figure}: ${value} (target ${target})${note ? ` — ${note}` : ''}`);
}
function checkRss(phase, peak) {
  const worst = Math.max(...Object.values(peak));
  check(`peak RSS, ${phase}`, Object.entries(peak).map(([k, v]) => `${k} ${v} MB`).join(', '), `every process < ${RSS_LIMIT_MB} MB`, worst < RSS_LIMIT_MB);
}

const seedLearners = (url, count) => seed(url, count, course, 'capacity');
const setUpDatabase = (url, officials) => setUp(url, officials, env);
/** One process, as `npm start` runs it (scripts/serve.mjs, the production node flags). */
const startNode = (url, port, nodeEnv = {}) => startBuiltNode({ url, port, out: OUT, env: nodeEnv });
const stopNode = stopProcess;

// ── 1 and 2: one embedded node ────────────────────────────────────────────────────────────────────────────────
async function single() {
  console.log('\n## One node, embedded database, 1 process');
  const dir = mkdtempSync(join(tmpdir(), 'capacita-capacity-'));
  const url = `file:${join(dir, 'capacita.db')}`;
  setUpDatabase(url, 3000);
  const learners = await seedLearners(url, Math.min(LEARNERS, 2000));
  const port = 4480;
  const origin = `http://127.0.0.1:${port}`;
  const server = await startNode(url, port);
  try {
    let i = 0;
    const reader = () => ({ path: lessonPath, headers: { cookie: learners[i++ % learners.length].cookie } });
    // The first visit of each learner records the resume point (a write); the phases measure reading again.
    await load('warm-up', origin, { connections: 20, amount: learners.length, pick: reader });
    await load('warm-up /healthz', origin, { connections: 20, amount: 2000, pick: () => ({ path: '/healthz' }) });
    const pids = { node: server.pid };
    // /healthz and the lesson page in turns, ROUNDS times: on a shared machine the load moves within seconds, and a
    // figure taken from neighbouring turns compares the same moment. Besides throughput, the server's CPU time per
    // request (from /proc): what a request costs the core, which the other engineers' builds disturb far less.
    let stop = watchRss(pids);
    const turns = [];
    for (let round = 0; round < ROUNDS; round++) {
      const turn = {};
      for (const [name, pick] of [['health', () => ({ path: '/healthz' })], ['lesson', reader]]) {
        const before = cpuMs(server.pid);
        const result = await load(name === 'health' ? '/healthz' : 'lesson page', origin, { connections: CONNECTIONS, duration: DURATION, pick });
        turn[name] = { ...result, cpuPerRequestUs: Math.round(((cpuMs(server.pid) - before) * 1000) / result.requests) };
      }
      turn.ratio = turn.lesson.rps / turn.health.rps;
      turn.cpuRatio = turn.health.cpuPerRequestUs / turn.lesson.cpuPerRequestUs;
      console.log(`  round ${round + 1}: /healthz ${turn.health.rps} req/s (${turn.health.cpuPerRequestUs} µs CPU each, p95 ${turn.health.p95} ms, errors ${turn.health.errors}); lesson page ${turn.lesson.rps} req/s (${turn.lesson.cpuPerRequestUs} µs CPU each, p95 ${turn.lesson.p95} ms, errors ${turn.lesson.errors}); ratio ${turn.ratio.toFixed(2)}, by CPU time ${turn.cpuRatio.toFixed(2)}; load average ${loadAverage()}`);
      turns.push(turn);
    }
    const closedRss = stop();
    const median = (xs) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] * 100) / 100;
    const ratio = median(turns.map((t) => t.ratio));
    const cpuRatio = median(turns.map((t) => t.cpuRatio));
    const errors = turns.reduce((n, t) => n + t.health.errors + t.lesson.errors, 0);
    check(`capacity ratio (lesson page ÷ /healthz, same process, median of ${ROUNDS} turns)`, `${ratio} by throughput (${turns.map((t) => `${t.lesson.rps}/${t.health.rps}`).join(', ')} req/s), ${cpuRatio} by CPU time per request (${turns.map((t) => `${t.health.cpuPerRequestUs}/${t.lesson.cpuPerRequestUs}`).join(', ')} µs); ${errors} errors`, '≥ 0.5', ratio >= 0.5 && errors === 0);
    checkRss('/healthz and lesson page, closed loop', closedRss);
    await new Promise((r) => setTimeout(r, 2000));
    stop = watchRss(pids);
    const open = await paced('lesson page paced at 200 req/s', origin, { rate: 200, duration: DURATION, connections: CONNECTIONS, pick: reader });
    check('lesson page paced at 200 req/s, p95 (open loop)', `${open.p95} ms (p50 ${open.p50}, p99 ${open.p99}, ${open.requests} requests)`, '≤ 50 ms', open.p95 <= 50);
    check('lesson page paced at 200 req/s, errors', open.errors, '0', open.errors === 0);
    checkRss('lesson page paced', stop());
    return { turns, open, ratio, cpuRatio };
  } finally {
    await stopNode(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ── 2: dashboards on the 200 000-official database ─────────────────────────────────────────────────────────────
async function dashboards() {
  const source = values['dashboards-db'];
  console.log(`\n## Dashboards paced at 20 req/s on ${source}`);
  if (!existsSync(source)) {
    check('dashboards paced at 20 req/s', 'not measured', 'p95 ≤ 150 ms', false, `no ${source}: DATABASE_URL=file:${source} npm run db:demo -- --officials 200000`);
    return null;
  }
  // A copy: signing in writes sessions, and the original may be in use by another bench.
  const dir = mkdtempSync(join(tmpdir(), 'capacita-capacity-dash-'));
  const path = join(dir, 'capacita.db');
  copyFileSync(source, path);
  const url = `file:${path}`;
  // Migrated like `npm start` does (the generated database may predate the latest migrations, e.g. their indexes).
  const setup = spawnSync(process.execPath, ['db/setup-cli.ts'], { env: { ...env, DATABASE_URL: url, CAPACITA_DEMO: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (setup.status !== 0) throw new Error('db/setup-cli.ts failed on the dashboards database');
  const port = 4481;
  const origin = `http://127.0.0.1:${port}`;
  const server = await startNode(url, port);
  try {
    const committee = await signInCookie(origin, 'comite.gt@demo.capacita.test');
    const coordinator = await signInCookie(origin, 'coordinacion@demo.capacita.test');
    const routes = [
      { path: '/es/dashboard', headers: { cookie: committee } },
      { path: '/es/dashboard/country/MX', headers: { cookie: coordinator } },
      { path: '/es/dashboard', headers: { cookie: coordinator } },
    ];
    for (const r of routes) {
      const res = await fetch(origin + r.path, { headers: r.headers });
      if (res.status !== 200) throw new Error(`${r.path}: ${res.status}`);
      await res.arrayBuffer();
    }
    let k = 0;
    const stop = watchRss({ node: server.pid });
    const result = await paced('dashboards paced at 20 req/s', origin, { rate: 20, duration: Math.max(DURATION, 10), connections: 20, pick: () => routes[k++ % routes.length] });
    check('dashboards (committee, drill-down, regional) paced at 20 req/s, p95', `${result.p95} ms (p50 ${result.p50}, ${result.requests} requests, ${result.errors} errors)`, '≤ 150 ms, 0 errors', result.p95 <= 150 && result.errors === 0);
    checkRss('dashboards paced', stop());
    return result;
  } finally {
    await stopNode(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ── 3 and 4: the local cluster ─────────────────────────────────────────────────────────────────────────────────
/**
 * sqld's Prometheus counters that matter here: HTTP requests answered (round trips), statements run on its own copy
 * (a statement a replica forwards counts on the primary), and programs a replica forwarded to the primary.
 */
async function metrics(url) {
  const text = await (await fetch(url)).text();
  let requests = 0;
  let statements = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('libsql_server_user_http_response{')) requests += Number(line.split(' ').at(-1));
    else if (line.startsWith('libsql_server_query_count ')) statements = Number(line.split(' ').at(-1));
  }
  // The forwarded count from the namespace's own counter (admin stats): the Prometheus series of a counter left
  // unchanged for a while is dropped from /metrics, which made a delta of it negative. Asking a replica for its stats
  // opens its database as any request does, so from the first phase on it follows the primary whatever cluster-local
  // did: that a fresh replica is opened before the nodes start is tests/e2e/resilience-cluster.spec.ts's to check.
  const stats = await fetch(new URL('/v1/namespaces/default/stats', url));
  const forwarded = stats.ok ? Number((await stats.json()).write_requests_delegated ?? 0) : 0;
  return { requests, statements, forwarded };
}
async function counted(urls, run) {
  const before = { primary: await metrics(urls.primary), replica: await metrics(urls.replica) };
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const after = { primary: await metrics(urls.primary), replica: await metrics(urls.replica) };
  const delta = (side, key) => after[side][key] - before[side][key];
  return { result, seconds, primary: { requests: delta('primary', 'requests'), statements: delta('primary', 'statements') }, replica: { requests: delta('replica', 'requests'), statements: delta('replica', 'statements'), forwarded: delta('replica', 'forwarded') } };
}
/**
 * What sqld's threads are doing, once a write phase has had no answer for 5 s (the stall of docs/DEPLOYMENT.md,
 * "The stall", was caught this way): every thread's backtrace from gdb, written beside the results.
 */
function backtraceOnStall(pid, phase) {
  return {
    afterMs: 5_000,
    run: () => {
      const file = resolve(`bench/results/stall-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`);
      const gdb = spawnSync('gdb', ['-p', String(pid), '-batch', '-ex', 'thread apply all bt'], { encoding: 'utf8', timeout: 60_000 });
      mkdirSync('bench/results', { recursive: true });
      writeFileSync(file, `${phase}: no answer for 5 s; sqld primary ${pid}, load average ${loadAverage()}\n\n${gdb.stdout ?? ''}${gdb.stderr ?? ''}${gdb.error ? String(gdb.error) : ''}`);
      console.log(`  ! ${phase}: no answer for 5 s — sqld primary's threads written to ${file}`);
    },
  };
}
/** A sqld's replication position (the last WAL frame it has), from its metrics; null before its database is open. */
async function frameNo(url) {
  const line = (await (await fetch(url)).text()).split('\n').find((l) => l.startsWith('libsql_server_current_frame_no{'));
  return line ? Number(line.split(' ').at(-1)) : null;
}
/**
 * How far the replica's copy trails the primary while a phase writes: every 500 ms the primary's position is noted,
 * and the time the replica takes to reach it is its staleness at that moment (to the sampling's 500 ms).
 */
function watchReplicaLag(urls) {
  const pending = [];
  const lags = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      const [primary, replica] = await Promise.all([frameNo(urls.primary), frameNo(urls.replica)]);
      if (primary !== null) pending.push({ at, frame: primary });
      while (pending.length && replica !== null && replica >= pending[0].frame) lags.push(at - pending.shift().at);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  /** Stops sampling; then waits (up to 2 min) for the replica to reach the primary's last position noted. */
  return async () => {
    running = false;
    await loop;
    const ended = performance.now();
    const behindMs = pending.length ? Math.round(ended - pending[0].at) : 0;
    const last = pending.at(-1);
    let catchUpMs = 0;
    if (last) {
      while ((await frameNo(urls.replica)) < last.frame && performance.now() - ended < 120_000) await new Promise((r) => setTimeout(r, 250));
      catchUpMs = Math.round(performance.now() - ended);
    }
    lags.sort((x, y) => x - y);
    return { samples: lags.length, behindMs, catchUpMs, p50: Math.round(lags[Math.floor(lags.length / 2)] ?? 0), max: Math.round(lags.at(-1) ?? 0) };
  };
}
/**
 * The CPU time each cluster process (and this load generator) spends on a phase, per request: what a start or a
 * submission costs the machine's cores, which the other load on a shared machine disturbs far less than the phase's
 * duration. Call the returned function with the phase's request count.
 */
function cpuPerRequest(pids) {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid) ?? 0]));
  const own = process.cpuUsage();
  return (requests) => {
    const spent = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, (cpuMs(pid) ?? 0) - before[name]]));
    const generator = process.cpuUsage(own);
    spent['load generator'] = (generator.user + generator.system) / 1000;
    const total = Object.values(spent).reduce((a, b) => a + b, 0);
    const ms = (v) => Math.round((v / requests) * 100) / 100;
    return { perRequestMs: Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, ms(v)])), totalMs: ms(total), ceiling: Math.round((availableParallelism() * 1000 * requests) / total) };
  };
}
const describeCpu = (what, cpu) => `  CPU per ${what}: ${Object.entries(cpu.perRequestMs).map(([k, v]) => `${k} ${v} ms`).join(', ')}; ${cpu.totalMs} ms in all — at most ≈ ${cpu.ceiling}/s on ${availableParallelism()} cores doing nothing else`;
const perRequest = (n, requests) => (requests ? Math.round((n / requests) * 10) / 10 : 0);
const perSecond = (n, seconds) => Math.round(n / seconds);

async function cluster() {
  console.log('\n## Cluster: balancer + 2 app nodes + sqld primary + replica (npm run cluster:local)');
  const [base, sqldPort] = values['cluster-ports'].split(',').map(Number);
  const { origin, primaryUrl, pids: servers, balancerPid, metrics: urls, stop: stopCluster } = await startCluster({ base, sqldPort, officials: 400, out: OUT, metrics: true });
  // CPU of every process the cluster runs, the balancer's too; RSS of the servers.
  const pids = { ...servers, balancer: balancerPid };
  try {
    const learners = await seedLearners(primaryUrl, LEARNERS);
    let w = 0;
    await load('warm-up', origin, { connections: 20, amount: learners.length, pick: () => ({ path: lessonPath, headers: { cookie: learners[w++ % learners.length].cookie } }) });

    // Quiz starts: every learner once.
    let s = 0;
    let stop = watchRss(servers);
    let cpu = cpuPerRequest(pids);
    const starts = await counted(urls, () => load(`quiz start × ${learners.length}`, origin, { connections: 50, amount: learners.length, onSilence: backtraceOnStall(pids['sqld-primary'], 'quiz starts'), pick: () => ({ method: 'POST', path: '/_actions/learning.startQuiz', body: form({ course: course.id }), headers: { cookie: learners[s++ % learners.length].cookie } }) }));
    check(`cluster: ${learners.length} quiz starts`, `${starts.seconds.toFixed(1)} s, ${starts.result.errors} errors, longest silence ${starts.result.longestSilenceMs} ms, p95 ${starts.result.p95} ms, ${perRequest(starts.primary.requests, starts.result.requests)} round trips and ${perRequest(starts.primary.statements, starts.result.requests)} statements per start on the primary`, '≤ 30 s, 0 errors', starts.seconds <= 30 && starts.result.errors === 0);
    starts.cpu = cpu(starts.result.requests);
    console.log(describeCpu('start', starts.cpu));
    checkRss('cluster quiz starts', stop());

    // Submissions of the attempts just started.
    const db = openDatabase({ url: primaryUrl });
    const open = await db.$client.execute({ sql: `SELECT a.id, a.user_id FROM quiz_attempts a JOIN users u ON u.id = a.user_id WHERE a.submitted_at IS NULL AND u.email_key LIKE 'capacity-%'`, args: [] });
    const attemptOf = new Map(open.rows.map((r) => [Number(r.user_id), Number(r.id)]));
    const ready = learners.filter((l) => attemptOf.has(l.id));
    let k = 0;
    stop = watchRss(servers);
    const stopLag = watchReplicaLag(urls);
    cpu = cpuPerRequest(pids);
    const submits = await counted(urls, () => load(`quiz submit × ${ready.length}`, origin, { connections: 50, amount: ready.length, onSilence: backtraceOnStall(pids['sqld-primary'], 'quiz submissions'), pick: () => {
      const l = ready[k++ % ready.length];
      return { method: 'POST', path: '/_actions/learning.submitQuiz', body: form({ course: course.id, attempt: String(attemptOf.get(l.id)), q0: '0' }), headers: { cookie: l.cookie } };
    } }));
    submits.cpu = cpu(submits.result.requests);
    const lag = await stopLag();
    console.log(describeCpu('submission', submits.cpu));
    console.log(`  replica staleness during the submissions: p50 ${lag.p50} ms, max ${lag.max} ms over ${lag.samples} positions it reached; at the end ${lag.behindMs} ms behind, caught up ${lag.catchUpMs} ms after the phase`);
    check(`cluster: ${ready.length} quiz submissions`, `${submits.seconds.toFixed(1)} s, ${submits.result.errors} errors, longest silence ${submits.result.longestSilenceMs} ms, p95 ${submits.result.p95} ms, ${perRequest(submits.primary.requests, submits.result.requests)} round trips and ${perRequest(submits.primary.statements, submits.result.requests)} statements per submission on the primary`, '≤ 60 s, 0 errors', submits.seconds <= 60 && submits.result.errors === 0);
    checkRss('cluster quiz submissions', stop());

    // Every acknowledged write present once: one attempt per learner, submitted, with its responses.
    const tally = (await db.$client.execute(`SELECT count(*) AS attempts, sum(a.submitted_at IS NOT NULL) AS submitted, count(DISTINCT a.user_id) AS people,
        (SELECT count(*) FROM quiz_responses r JOIN quiz_attempts b ON b.id = r.attempt_id JOIN users v ON v.id = b.user_id WHERE v.email_key LIKE 'capacity-%') AS responses
      FROM quiz_attempts a JOIN users u ON u.id = a.user_id WHERE u.email_key LIKE 'capacity-%'`)).rows[0];
    const acknowledged = { starts: starts.result.statuses['200'] ?? 0, submits: submits.result.statuses['200'] ?? 0 };
    // A write whose answer was lost (a timeout after the commit) may be there too: acknowledged ones must be, once.
    const once = Number(tally.attempts) === Number(tally.people) && Number(tally.attempts) >= acknowledged.starts && Number(tally.submitted) >= acknowledged.submits;
    check('cluster: every acknowledged write present once', `${tally.attempts} attempts for ${tally.people} learners, ${tally.submitted} submitted, ${tally.responses} responses; acknowledged ${acknowledged.starts} starts, ${acknowledged.submits} submissions`, 'one attempt per learner, ≥ acknowledged starts; submitted ≥ acknowledged submissions', once);

    // Reads that need no learner's own last write go to the replica.
    const codes = (await db.$client.execute(`SELECT code FROM certificates LIMIT 200`)).rows.map((r) => String(r.code));
    db.$client.close();
    const publicReads = [...codes.map((c) => `/es/verify/${c}`), '/es/guia'];
    let p = 0;
    stop = watchRss(servers);
    const reads = await counted(urls, () => load('public reads (verify, Guía)', origin, { connections: 20, duration: DURATION, pick: () => ({ path: publicReads[p++ % publicReads.length] }) }));
    const total = reads.primary.statements + reads.replica.statements;
    const share = total ? Math.round((reads.replica.statements / total) * 100) : 0;
    check('cluster: public reads served by the replica', `${share} % of their statements (replica ${perSecond(reads.replica.statements, reads.seconds)}/s, primary ${perSecond(reads.primary.statements, reads.seconds)}/s; ${reads.result.rps} req/s, ${reads.result.errors} errors)`, 'most on the replica', share >= 50 && reads.result.errors === 0, `the replica forwarded ${reads.replica.forwarded} of its ${reads.replica.requests} requests to the primary`);
    // The same reads from an app node that has no replica (DATABASE_REPORTING_URL unset): what the replica takes off
    // the primary, per request, measured rather than inferred.
    const alone = await startNode(primaryUrl, base + 5, { DATABASE_REPORTING_URL: '' });
    let without;
    try {
      without = await counted(urls, () => load('public reads, node without the replica', `http://127.0.0.1:${base + 5}`, { connections: 20, duration: DURATION, pick: () => ({ path: publicReads[p++ % publicReads.length] }) }));
    } finally {
      await stopNode(alone);
    }
    const onPrimary = (run) => perRequest(run.primary.statements, run.result.requests);
    check('cluster: the replica takes public reads off the primary', `primary ${onPrimary(reads)} statements per public read with the replica (${perSecond(reads.primary.statements, reads.seconds)}/s; replica ${perRequest(reads.replica.statements, reads.result.requests)} per read, ${perSecond(reads.replica.statements, reads.seconds)}/s), ${onPrimary(without)} without it (${perSecond(without.primary.statements, without.seconds)}/s at ${without.result.rps} req/s, ${without.result.errors} errors)`, 'at most half as many on the primary with the replica', onPrimary(reads) <= onPrimary(without) / 2 && without.result.errors === 0);
    let q = 0;
    const lessons = await counted(urls, () => load('lesson page', origin, { connections: 20, duration: DURATION, pick: () => ({ path: lessonPath, headers: { cookie: learners[q++ % learners.length].cookie } }) }));
    console.log(`  lesson page on the cluster: ${lessons.result.rps} req/s, p95 ${lessons.result.p95} ms; per page ${perRequest(lessons.primary.requests, lessons.result.requests)} round trips to the primary (${perSecond(lessons.primary.statements, lessons.seconds)} statements/s), ${perRequest(lessons.replica.requests, lessons.result.requests)} to the replica (${perSecond(lessons.replica.statements, lessons.seconds)}/s) — the session and the learner's own progress stay on the primary`);
    checkRss('cluster reads', stop());
    return { starts, submits, lag, tally, reads, without, lessons };
  } finally {
    await stopCluster();
  }
}

requireBuild(OUT);
const startLoad = loadAverage();
console.log(`Capacity bench: ${new Date().toISOString()}, ${CONNECTIONS} connections, ${DURATION} s phases, load average at start ${startLoad}`);
const report = {};
if (ONLY.has('single')) report.single = await single();
if (ONLY.has('dashboards')) report.dashboards = await dashboards();
if (ONLY.has('cluster')) {
  if (existsSync(SQLD)) report.cluster = await cluster();
  else console.log('\n(cluster skipped: sqld not installed)');
}
const endLoad = loadAverage();
console.log(`\n## Targets (load average at start ${startLoad}, at end ${endLoad})\n`);
console.log('| figure | measured | target | |');
console.log('|---|---|---|---|');
for (const c of checks) console.log(`| ${c.figure} | ${c.value}${c.note ? ` (${c.note})` : ''} | ${c.target} | ${c.ok ? '✓' : '✗'} |`);
mkdirSync('bench/results', { recursive: true });
const file = resolve(`bench/results/capacity-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), loadAverage: { start: startLoad, end: endLoad }, checks, report }, null, 2));
console.log(`\nWritten: ${file}`);
