// Dashboard speed at scale: generates (or reuses) a demo database of N officials, starts the built server on it, signs
// in as the Guatemala committee, the coordination and the observer, and measures every dashboard route and export
// over HTTP on loopback with autocannon, bounded in time. Prints p50/p95 latency, requests per second and the server's
// RSS per route. Figures are measured, never written down: see bench/README.md.
//
//   CAPACITA_OUT_DIR=./dist-bench npx astro build
//   node bench/dashboards.mjs [--officials 200000] [--db data/bench-200k.db] [--regenerate] [--duration 8]
//                             [--connections 4] [--port 4396] [--only <substring>]
//   node bench/dashboards.mjs --views [--db …]     CPU time of each view's build in this process, no server (no build
//                                                  needed); run it on a copy: the database is migrated first
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    officials: { type: 'string', default: '200000' },
    db: { type: 'string' },
    regenerate: { type: 'boolean', default: false },
    duration: { type: 'string', default: '8' },
    connections: { type: 'string', default: '4' },
    port: { type: 'string', default: '4396' },
    out: { type: 'string', default: process.env.CAPACITA_OUT_DIR || './dist-bench' },
    only: { type: 'string' },
    views: { type: 'boolean', default: false },
  },
});
const officials = Number(values.officials);
const dbPath = values.db ?? `data/bench-${officials >= 1000 ? `${Math.round(officials / 1000)}k` : officials}.db`;
const port = Number(values.port);
const base = `http://127.0.0.1:${port}`;
const node = process.execPath;
const env = { ...process.env, DATABASE_URL: `file:${dbPath}`, HOST: '127.0.0.1', PORT: String(port), CAPACITA_DEMO: '1' };

if (!values.views && !existsSync(`${values.out}/server/entry.mjs`)) {
  console.error(`No build in ${values.out}: run  CAPACITA_OUT_DIR=${values.out} npx astro build  first.`);
  process.exit(2);
}

// 1. The dataset: generated once, reused by later runs (--regenerate to start again).
if (values.regenerate) for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
const fresh = !existsSync(dbPath);
const run = (args) => {
  const r = spawnSync(node, args, { stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(['db/setup-cli.ts']);
if (fresh) {
  console.log(`\n▸ Generating ${officials.toLocaleString('en')} officials into ${dbPath}`);
  run(['--expose-gc', 'db/seed/demo-cli.ts', '--officials', String(officials)]);
} else {
  console.log(`\n▸ Reusing ${dbPath} (--regenerate to build it again)`);
}

if (values.views) {
  await timeViews();
  process.exit(0);
}

/**
 * Each view of the three pages `bench/capacity.mjs` paces (the Guatemala committee's, the coordination's Mexico and
 * regional dashboards) and of the observer's regional page, built alone with a fresh shared map (as one request
 * would), warm, the least CPU time of 7 builds; then each page's views built together as the loaders do.
 */
async function timeViews() {
  const { openDatabase } = await import('../db/client.ts');
  const { REGISTRY, COUNTRY_VIEWS, REGION_VIEWS, REGION_FULL_VIEWS } = await import('../src/server/reports/views/index.ts');
  const { parseAggregateQuery } = await import('../src/server/reports/aggregate.ts');
  const db = openDatabase({ url: `file:${dbPath}` });
  const now = Date.now();
  const pages = [
    ['committee GT', { kind: 'country', countryCode: 'GT' }, COUNTRY_VIEWS],
    ['coordination MX', { kind: 'country', countryCode: 'MX' }, COUNTRY_VIEWS],
    ['coordination region', { kind: 'all' }, [...REGION_VIEWS, ...REGION_FULL_VIEWS]],
    ['observer region', { kind: 'all' }, REGION_VIEWS, parseAggregateQuery(new URLSearchParams(), now)],
  ];
  const cpu = async (build) => {
    let best = Infinity;
    for (let i = 0; i < 7; i++) {
      const start = process.cpuUsage();
      await build();
      const used = process.cpuUsage(start);
      best = Math.min(best, (used.user + used.system) / 1000);
    }
    return best;
  };
  console.log(`\n▸ CPU ms per view build on ${dbPath} (least of 7, warm), load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}\n`);
  for (const [label, scope, ids, aggregate] of pages) {
    const ctx = () => ({ db, scope, filters: {}, now, shared: new Map(), ...(aggregate ? { aggregate } : {}) });
    const each = [];
    for (const id of ids) each.push(`${id} ${(await cpu(() => REGISTRY[id].build(ctx()))).toFixed(1)}`);
    const page = await cpu(() => {
      const shared = ctx();
      return Promise.all(ids.map((id) => REGISTRY[id].build(shared)));
    });
    console.log(`${label.padEnd(20)} page ${page.toFixed(1).padStart(6)} | ${each.join('  ')}`);
  }
  db.$client.close();
}

// 2. The server.
const server = spawn(node, [`${values.out}/server/entry.mjs`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const stop = () => server.kill('SIGTERM');
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {}
  if (i > 100) throw new Error('The server did not start');
  await sleep(100);
}

async function signIn(email) {
  const body = new URLSearchParams({ email, password: 'capacita-demo-2026' });
  const res = await fetch(`${base}/es/login?_action=auth.signIn`, { method: 'POST', body, redirect: 'manual', headers: { Origin: base } });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('capacita_session='));
  if (!cookie) throw new Error(`Could not sign in as ${email} (status ${res.status})`);
  return cookie.split(';')[0];
}
const committee = await signIn('comite.gt@demo.capacita.test');
const coordinator = await signIn('coordinacion@demo.capacita.test');
const observer = await signIn('observador@demo.capacita.test');

const now = new Date();
const semester = `${now.getUTCFullYear()}-${now.getUTCMonth() < 6 ? 1 : 2}`;
const lastSemester = now.getUTCMonth() < 6 ? `${now.getUTCFullYear() - 1}-2` : `${now.getUTCFullYear()}-1`;
const course = readFirstBasicoCourse();
const ROUTES = [
  // [label, who, path, kind] — kind: country (target p95 < 150 ms) or region (< 300 ms)
  ['committee dashboard', committee, '/es/dashboard', 'country'],
  ['country, filtered (Básico, police, 12 months)', committee, `/es/dashboard/country/GT?track=basico&sector=police&from=${monthsAgo(11)}&to=${monthsAgo(0)}`, 'country'],
  ['refresher list (names)', committee, '/es/dashboard/country/GT/refreshers', 'country'],
  ['item analysis', committee, `/es/dashboard/country/GT/items?course=${course}`, 'country'],
  ['semester report (current)', committee, `/es/dashboard/report?scope=GT&semester=${semester}`, 'country'],
  ['semester report (previous)', committee, `/es/dashboard/report?scope=GT&semester=${lastSemester}`, 'country'],
  ['semester report PDF', committee, `/es/dashboard/report.pdf?scope=GT&semester=${lastSemester}`, 'country'],
  ['export coverage by institution CSV', committee, '/es/dashboard/export/coverage-institutions?country=GT&format=csv', 'country'],
  ['export funnel XLSX', committee, '/es/dashboard/export/funnel?country=GT&format=xlsx', 'country'],
  ['export completions CSV', committee, '/es/dashboard/export/completions?country=GT&format=csv', 'country'],
  ['export refreshers CSV', committee, '/es/dashboard/export/refreshers?country=GT&format=csv', 'country'],
  ['export refresher names CSV', committee, '/es/dashboard/export/refresher-people?country=GT&format=csv', 'country'],
  ['export item analysis CSV', committee, `/es/dashboard/export/items?country=GT&course=${course}&format=csv`, 'country'],
  ['coordinator: Mexico drill-down', coordinator, '/es/dashboard/country/MX', 'country'],
  ['regional dashboard', coordinator, '/es/dashboard', 'region'],
  ['regional dashboard, filtered (Básico, 12 months)', coordinator, `/es/dashboard?track=basico&from=${monthsAgo(11)}&to=${monthsAgo(0)}`, 'region'],
  ['observer dashboard (suppressed)', observer, '/en/dashboard', 'region'],
  ['regional semester report (previous)', coordinator, `/es/dashboard/report?scope=region&semester=${lastSemester}`, 'region'],
  ['regional semester report PDF', coordinator, `/es/dashboard/report.pdf?scope=region&semester=${lastSemester}`, 'region'],
  ['export region coverage XLSX', coordinator, '/es/dashboard/export/region-coverage?format=xlsx', 'region'],
  ['export region completions CSV (observer)', observer, '/en/dashboard/export/region-completions?format=csv', 'region'],
].filter(([label, , path]) => !values.only || label.includes(values.only) || path.includes(values.only));

function monthsAgo(n) {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function readFirstBasicoCourse() {
  const dir = process.env.CAPACITA_CONTENT_DIR || 'content';
  for (const id of ['basico-fundamentos']) if (existsSync(`${dir}/courses/${id}/course.yaml`)) return id;
  return 'basico-fundamentos';
}

function rssMiB(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return NaN;
  }
}

const percentile = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

// Warm-up: every route a few times, so the first measured route does not pay for the JIT and cold caches alone.
for (let round = 0; round < 3; round++) {
  for (const [, cookie, path] of ROUTES) await (await fetch(base + path, { headers: { cookie } })).arrayBuffer();
}

console.log(`\n▸ ${ROUTES.length} routes, ${values.duration} s each, ${values.connections} connections, server pid ${server.pid}\n`);
const results = [];
for (const [label, cookie, path, kind] of ROUTES) {
  // One warm-up request, also checking that the route answers 200.
  const check = await fetch(base + path, { headers: { cookie } });
  await check.arrayBuffer();
  if (check.status !== 200) {
    console.log(`${label}: HTTP ${check.status} — skipped`);
    results.push({ label, path, kind, status: check.status });
    continue;
  }
  const latencies = [];
  let peakRss = rssMiB(server.pid);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB(server.pid))), 200);
  const instance = autocannon({ url: base + path, headers: { cookie }, connections: Number(values.connections), duration: Number(values.duration) });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const r = await instance; // the instance is thenable: resolves with the result when the duration is over
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  const row = {
    label,
    path,
    kind,
    status: 200,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    rps: r.requests.total / Number(values.duration),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    rss: peakRss,
  };
  results.push(row);
  const target = kind === 'region' ? 300 : 150;
  console.log(
    `${label.padEnd(48)} p50 ${row.p50.toFixed(0).padStart(5)} ms  p95 ${row.p95.toFixed(0).padStart(5)} ms ${row.p95 <= target ? '✓' : '✗'}(${target})  ` +
      `${row.rps.toFixed(1).padStart(6)} req/s  RSS ${row.rss.toFixed(0)} MiB${row.non2xx || row.errors ? `  (${row.non2xx} non-2xx, ${row.errors} errors)` : ''}`,
  );
}

const measured = results.filter((r) => r.status === 200);
const over = measured.filter((r) => r.p95 > (r.kind === 'region' ? 300 : 150));
console.log(`\nDatabase ${dbPath}: ${(Number(spawnSync('stat', ['-c', '%s', dbPath]).stdout.toString()) / 1024 / 1024).toFixed(1)} MiB; server peak RSS ${Math.max(...measured.map((r) => r.rss)).toFixed(0)} MiB; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log(over.length ? `${over.length} route(s) over their p95 target: ${over.map((r) => r.label).join('; ')}` : 'Every route within its p95 target.');
stop();
process.exit(0);
