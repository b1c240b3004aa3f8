// Load on loopback, bounded in time: the single embedded node and the local cluster (`npm run cluster:local`).
//
//   npm run bench:load                          # both set-ups
//   npm run bench:load -- --mode single --duration 10 --connections 100 --learners 2000 --workers 1,2
//
// For each set-up: a fresh database with the demo accounts and `--learners` bench learners (with sessions, enrolled
// in a Básico course), then autocannon phases — lesson page reads as fast as the set-up answers them (closed loop:
// at 100 connections the latency is 100 / throughput); the same page paced at a fixed rate below that (open loop:
// the latency a learner sees while the node is busy but not saturated); a realistic mix (lesson reads, progress
// writes, course and learning pages, quiz starts, dashboard views, sign-ins); a quiz rush (every learner starts a
// quiz, then submits it, as fast as the set-up takes them). Prints requests/s, p50/p95/p99 (exact, from every response
// time), non-2xx/3xx answers and errors, and each process's peak RSS; writes bench/results/load-<time>.json.
// The single node runs once per `--workers` count (scripts/serve.mjs: worker processes sharing the port).
// Course and lesson ids come from content/ (the first Básico course). Nothing leaves 127.0.0.1.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { load as loadPhase, paced as pacedPhase, watchRss } from '../lib/load-tools.mjs';
import { benchCourse, benchEnv, DEMO_PASSWORD, form, requireBuild, seedLearners as seed, setUpDatabase, signInCookie, SQLD, startCluster, startNode, stopProcess } from '../lib/capacita-setup.mjs';
import { openDatabase } from '../../db/client.ts';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'both' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    learners: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '1,2' },
    'paced-rate': { type: 'string' },
    out: { type: 'string', default: process.env.CAPACITA_OUT_DIR || './dist-test' },
  },
});
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const LEARNERS = Number(values.learners);
const WORKER_COUNTS = values.workers.split(',').map(Number);
/** Requests/s of the paced phase; by default 60 % of what the closed-loop phase just measured. */
const PACED_RATE = values['paced-rate'] ? Number(values['paced-rate']) : null;
const OUT = values.out;

// ── Content discovery ──────────────────────────────────────────────────────────────────────────────────────────
const course = benchCourse();
const lessonsWithoutActivities = course.lessons.filter((l) => !/<H5P\b/.test(readFileSync(`content/courses/${course.id}/es/${l}.mdx`, 'utf8')));
const readLesson = course.lessons[0];
const progressLessons = lessonsWithoutActivities.length ? lessonsWithoutActivities : course.lessons;

// This script's defaults for every phase.
const load = (label, origin, options) => loadPhase(label, origin, { connections: CONNECTIONS, duration: DURATION, ...options });
const paced = (label, origin, options) => pacedPhase(label, origin, { connections: CONNECTIONS, duration: DURATION, ...options });

// ── Data ───────────────────────────────────────────────────────────────────────────────────────────────────────
const seedLearners = (url) => seed(url, LEARNERS, course, 'bench');

// ── Phases ─────────────────────────────────────────────────────────────────────────────────────────────────────
async function phases(origin, learners, pids) {
  const results = [];
  const committee = await signInCookie(origin, 'comite.gt@demo.capacita.test');
  let i = 0;
  const nextLearner = () => learners[i++ % learners.length];
  const lessonPath = `/es/courses/${course.id}/${readLesson}`;

  // Every learner opens the lesson once first: the first visit records the resume point (a write); the phases below
  // measure reading it again, which is what a learner does all morning.
  await load('warm-up', origin, { connections: 20, amount: learners.length, pick: () => ({ path: lessonPath, headers: { cookie: nextLearner().cookie } }) });

  let stopRss = watchRss(pids);
  results.push(await load('lesson page (GET, signed in)', origin, { pick: () => ({ path: lessonPath, headers: { cookie: nextLearner().cookie } }) }));
  results.at(-1).rssMb = stopRss();
  const rate = PACED_RATE ?? Math.max(1, Math.round(results.at(-1).rps * 0.6));
  await new Promise((r) => setTimeout(r, 2000)); // let the backlog of the saturated phase drain
  stopRss = watchRss(pids);
  results.push(await paced(`lesson page paced at ${rate} req/s (open loop)`, origin, { rate, pick: () => ({ path: lessonPath, headers: { cookie: nextLearner().cookie } }) }));
  results.at(-1).target = { text: 'p95 ≤ 50 ms, 0 errors', ok: (r) => r.p95 <= 50 && r.errors === 0 };
  results.at(-1).rssMb = stopRss();

  // The mix: what a morning of training looks like, weighted.
  const mix = [
    [40, () => ({ path: `/es/courses/${course.id}/${course.lessons[i % course.lessons.length]}`, headers: { cookie: nextLearner().cookie } })],
    [15, () => ({ method: 'POST', path: '/_actions/learning.markDone', body: form({ course: course.id, lesson: progressLessons[i % progressLessons.length] }), headers: { cookie: nextLearner().cookie } })],
    [10, () => ({ path: `/es/courses/${course.id}`, headers: { cookie: nextLearner().cookie } })],
    [10, () => ({ path: '/es/learning', headers: { cookie: nextLearner().cookie } })],
    [8, () => ({ method: 'POST', path: '/_actions/learning.startQuiz', body: form({ course: course.id }), headers: { cookie: nextLearner().cookie } })],
    [8, () => ({ path: '/es/dashboard', headers: { cookie: committee } })],
    [5, () => ({ path: `/es/courses/${course.id}/quiz`, headers: { cookie: nextLearner().cookie } })],
    [2, () => ({ method: 'POST', path: '/_actions/auth.signIn', body: form({ email: 'fiscal@demo.capacita.test', password: DEMO_PASSWORD }) })],
    [2, () => ({ path: '/es/' })],
  ];
  const total = mix.reduce((n, [w]) => n + w, 0);
  const pickMix = () => {
    let r = Math.random() * total;
    for (const [w, make] of mix) if ((r -= w) < 0) return make();
    return mix[0][1]();
  };
  stopRss = watchRss(pids);
  results.push(await load('realistic mix', origin, { pick: pickMix }));
  results.at(-1).rssMb = stopRss();

  // Quiz rush: every learner starts the quiz (at most 60 s allowed), then submits it.
  const fresh = learners.map((l) => ({ ...l }));
  let s = 0;
  stopRss = watchRss(pids);
  results.push(await load(`quiz start × ${fresh.length} learners`, origin, { connections: 50, amount: fresh.length, pick: () => ({ method: 'POST', path: '/_actions/learning.startQuiz', body: form({ course: course.id }), headers: { cookie: fresh[s++ % fresh.length].cookie } }) }));
  results.at(-1).rssMb = stopRss();
  results.at(-1).target = { text: `≤ ${QUIZ_START_SECONDS} s, 0 errors`, ok: (r) => r.seconds <= QUIZ_START_SECONDS && r.errors === 0 };
  return results;
}

async function submissions(origin, url, learners, pids) {
  const db = openDatabase({ url });
  const open = await db.$client.execute('SELECT id, user_id FROM quiz_attempts WHERE submitted_at IS NULL');
  db.$client.close();
  const byUser = new Map(open.rows.map((r) => [Number(r.user_id), Number(r.id)]));
  const ready = learners.filter((l) => byUser.has(l.id));
  let k = 0;
  const stopRss = watchRss(pids);
  const result = await load(`quiz submit × ${ready.length}`, origin, {
    connections: 50,
    amount: ready.length,
    pick: () => {
      const l = ready[k++ % ready.length];
      return { method: 'POST', path: '/_actions/learning.submitQuiz', body: form({ course: course.id, attempt: String(byUser.get(l.id)), q0: '0' }), headers: { cookie: l.cookie } };
    },
  });
  result.rssMb = stopRss();
  result.target = { text: '≤ 60 s, 0 errors', ok: (r) => r.seconds <= 60 && r.errors === 0 };
  return result;
}

// ── Set-ups ────────────────────────────────────────────────────────────────────────────────────────────────────
async function single(workers) {
  const dir = mkdtempSync(join(tmpdir(), 'capacita-load-'));
  const url = `file:${join(dir, 'capacita.db')}`;
  const port = 4380;
  const origin = `http://127.0.0.1:${port}`;
  setUpDatabase(url, 3000, benchEnv(OUT));
  const learners = await seedLearners(url);
  const server = await startNode({ url, port, out: OUT, workers });
  try {
    const pids = { node: server.pid };
    const results = await phases(origin, learners, pids);
    results.push(await submissions(origin, url, learners, pids));
    return { setup: `single node, embedded database, ${workers === 1 ? '1 process' : `${workers} worker processes`}`, results };
  } finally {
    await stopProcess(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function cluster() {
  const base = 4370;
  const sqld = 8100;
  const { origin, primaryUrl: url, pids, stop } = await startCluster({ base, sqldPort: sqld, officials: 3000, out: OUT });
  try {
    const learners = await seedLearners(url);
    const results = await phases(origin, learners, pids);
    results.push(await submissions(origin, url, learners, pids));
    return { setup: 'cluster: balancer + 2 app nodes + sqld primary + replica', results };
  } finally {
    await stop();
  }
}

/** Issue 20's targets: every process under RSS_LIMIT_MB in every phase, and each phase's own (✓/✗). */
const RSS_LIMIT_MB = 300;
const QUIZ_START_SECONDS = 30;
function print(report) {
  console.log(`\n## ${report.setup}`);
  console.log('| phase | requests | s | req/s | p50 ms | p95 ms | p99 ms | errors | statuses | peak RSS MB | target | |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of report.results) {
    const rss = Object.values(r.rssMb ?? {});
    const rssOk = rss.every((mb) => mb < RSS_LIMIT_MB);
    const target = [r.target?.text, `RSS < ${RSS_LIMIT_MB} MB`].filter(Boolean).join('; ');
    const ok = rssOk && (r.target ? r.target.ok(r) : true);
    console.log(`| ${r.label} | ${r.requests} | ${r.seconds} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${JSON.stringify(r.statuses)} | ${Object.entries(r.rssMb ?? {}).map(([k, v]) => `${k} ${v}`).join(', ')} | ${target} | ${ok ? '✓' : '✗'} |`);
  }
}

requireBuild(OUT);
console.log(`Load bench: course ${course.id}, lesson ${readLesson}; ${CONNECTIONS} connections, ${DURATION} s per timed phase, ${LEARNERS} learners.`);
const reports = [];
if (values.mode === 'single' || values.mode === 'both') {
  for (const workers of WORKER_COUNTS) {
    reports.push(await single(workers));
    print(reports.at(-1));
  }
}
if (values.mode === 'cluster' || values.mode === 'both') {
  if (!existsSync(SQLD)) console.log('\n(cluster skipped: sqld not installed)');
  else {
    reports.push(await cluster());
    print(reports.at(-1));
  }
}
mkdirSync('bench/results', { recursive: true });
const file = resolve(`bench/results/load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), connections: CONNECTIONS, duration: DURATION, learners: LEARNERS, reports }, null, 2));
console.log(`\nWritten: ${file}`);
