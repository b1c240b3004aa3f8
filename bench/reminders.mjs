// The reminder scheduler at scale: one pass of src/server/reminders/scheduler.ts over a demo population (on a copy of
// the database, so the dataset stays reusable), then a second pass that finds everything already sent. Prints each
// pass's run time, what it considered and queued, its write transactions and the longest of them (BEGIN IMMEDIATE →
// COMMIT returned, so the commit's fsync and an automatic WAL checkpoint count too; and without the commit). Figures are measured, never written down: see bench/README.md.
//
//   DATABASE_URL=file:data/bench-200k.db npm run db:demo -- --officials 200000     (once; takes minutes)
//   node bench/reminders.mjs [--db data/bench-200k.db] [--batch 100] [--no-checkpoint]   (the last: SQLite's own checkpoints, to compare)
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { openDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { runReminders, WRITE_HOLD_TARGET_MS } from '../src/server/reminders/scheduler.ts';

const { values } = parseArgs({ options: { db: { type: 'string', default: 'data/bench-200k.db' }, batch: { type: 'string', default: '100' }, 'no-checkpoint': { type: 'boolean', default: false } } });
if (!existsSync(values.db)) {
  console.error(`No database at ${values.db}: build one with  DATABASE_URL=file:${values.db} npm run db:demo -- --officials 200000`);
  process.exit(2);
}

// The catalogue from content/ (the server reads the same files through its content collections).
const courses = readdirSync('content/courses').map((id) => ({ id, ...parse(readFileSync(join('content/courses', id, 'course.yaml'), 'utf8')) }));
const catalog = {
  refresherCourseId: courses.find((c) => c.programme === 'actualizacion')?.id ?? null,
  courses: courses.map((c) => ({ id: c.id, title: c.title, attempts: c.quiz?.attempts ?? 0, cooldownMinutes: c.quiz?.cooldownMinutes ?? 0 })),
};

const dir = mkdtempSync(join(tmpdir(), 'capacita-bench-reminders-'));
const file = join(dir, 'bench.db');
const source = openDatabase({ url: `file:${values.db}` });
await source.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
source.$client.close();
copyFileSync(values.db, file);
// The copy's half a gigabyte is flushed now, so the first COMMIT's fsync does not pay for writing it back.
const copied = openSync(file, 'r+');
fsyncSync(copied);
closeSync(copied);
const db = openDatabase({ url: `file:${file}` });
try {
  await applyMigrations(db);
  const [{ n: officials }] = (await db.$client.execute(`SELECT count(*) AS n FROM users WHERE role IN ('learner', 'specialist')`)).rows;
  const [{ n: holders }] = (await db.$client.execute(`SELECT count(*) AS n FROM report_holders WHERE track = 'refresh'`)).rows;
  const [{ n: open }] = (await db.$client.execute(`SELECT count(*) AS n FROM enrolments WHERE completed_at IS NULL`)).rows;
  console.log(`population: ${Number(officials).toLocaleString('en')} officials, ${Number(holders).toLocaleString('en')} with a refresher date, ${Number(open).toLocaleString('en')} open enrolments`);
  const now = Date.now();
  for (const label of ['first pass', 'second pass']) {
    const started = performance.now();
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const stats = await runReminders(db, { now, catalog, origin: 'https://capacita.example.org', secret: 'bench', batchSize: Number(values.batch), checkpointBetweenBatches: !values['no-checkpoint'] });
    const ms = performance.now() - started;
    const ok = stats.longestWriteMs <= WRITE_HOLD_TARGET_MS;
    console.log(
      `${label}: ${(ms / 1000).toFixed(2)} s — considered ${stats.considered.toLocaleString('en')}, queued ${stats.queued.toLocaleString('en')}, ` +
        `already sent ${stats.alreadySent}, ${stats.batches} write transactions (${stats.writesOverTarget} over ${WRITE_HOLD_TARGET_MS} ms)\n` +
        `  longest hold of the write lock ${stats.longestWriteMs.toFixed(1)} ms (BEGIN → COMMIT returned; target ≤ ${WRITE_HOLD_TARGET_MS} ms ${ok ? '✓' : '✗'}), ` +
        `longest statements ${stats.longestStatementsMs.toFixed(1)} ms (BEGIN → last statement), longest COMMIT ${stats.longestCommitMs.toFixed(1)} ms; ` +
        `most CPU inside one write transaction ${stats.longestWriteCpuMs.toFixed(1)} ms (the hold with a core free, fsync wait aside)\n` +
        `  WAL checkpointed between batches: ${values['no-checkpoint'] ? 'no (--no-checkpoint: SQLite checkpoints inside the COMMIT that passes 1000 pages)' : `yes, the WAL held at most ${stats.largestWalPages} pages before a batch`}\n` +
        `  load average at the start (1, 5, 15 min; ${cpus().length} cores shared): ${load} → at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
  }
  const kinds = (await db.$client.execute('SELECT kind, count(*) AS n FROM reminders_sent GROUP BY kind ORDER BY kind')).rows;
  console.log(`reminders recorded: ${kinds.map((r) => `${r.kind} ${Number(r.n).toLocaleString('en')}`).join(', ')}`);
} finally {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
}
