// npm run db:demo -- --officials 200000 [--seed 2026] [--months 30] [--if-empty] [--content DIR]
// --content (or CAPACITA_CONTENT_DIR) reads course.yaml/quiz.yaml from DIR/courses instead of ./content/courses.
//
// Large populations are generated in parts of PART_OFFICIALS, each by a child process running this file with --part
// (the libSQL driver's native memory grows with the data written and is only given back when the process ends), so
// the peak memory stays flat whatever --officials is; the result is the same rows as one run.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../client.ts';
import { setupDatabase } from '../setup.ts';
import { DEFAULT_CONTENT_DIR, readCourseCatalog } from './course-catalog.ts';
import { countSyntheticOfficials, dropSecondaryIndexes, finishDemoPopulation, generateDemoPopulation, generateOfficials, restoreIndexes, type DemoSummary } from './demo.ts';

/** Officials per child process (~250 MB peak for a part at 2 000 officials a batch). */
const PART_OFFICIALS = 20_000;

const { values } = parseArgs({
  options: {
    officials: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '2026' },
    months: { type: 'string', default: '30' },
    'if-empty': { type: 'boolean', default: false },
    content: { type: 'string', default: DEFAULT_CONTENT_DIR },
    /** Internal: generate one part (JSON: { randomCalls, now }) and print its result; see the top of this file. */
    part: { type: 'string' },
  },
});
const officials = Number(values.officials);
if (!Number.isInteger(officials) || officials < 0) {
  console.error(`--officials must be a whole number, got "${values.officials}"`);
  process.exit(2);
}

const url = process.env.DATABASE_URL || undefined;
const authToken = process.env.DATABASE_AUTH_TOKEN || undefined;

if (values.part) {
  const part = JSON.parse(values.part) as { randomCalls: number; now: number };
  const db = openDatabase({ url, authToken });
  try {
    const result = await generateOfficials(db, readCourseCatalog(values.content), { officials, seed: Number(values.seed), months: Number(values.months), now: part.now }, { randomCalls: part.randomCalls });
    process.stdout.write(`PART ${JSON.stringify(result)}\n`);
  } finally {
    db.$client.close();
  }
  process.exit(0);
}

/** Runs one part in a child process; resolves with its counts and the generator's position. */
function runPart(count: number, part: { randomCalls: number; now: number }): Promise<{ summary: DemoSummary; randomCalls: number }> {
  const args = [...process.execArgv, process.argv[1]!, '--officials', String(count), '--seed', values.seed!, '--months', values.months!, '--content', values.content!, '--part', JSON.stringify(part)];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('PART '));
      if (code === 0 && line) resolve(JSON.parse(line.slice(5)));
      else reject(new Error(`demo part failed (exit ${code})`));
    });
  });
}

/** The population in parts, each in its own process; indexes dropped once before and rebuilt once after. */
async function generateInParts(db: ReturnType<typeof openDatabase>, courses: ReturnType<typeof readCourseCatalog>, options: { seed: number; now: number; onPhase: (phase: 'indexes' | 'summaries') => void; onProgress: (done: number, total: number) => void }): Promise<DemoSummary> {
  const total: DemoSummary = { officials: 0, enrolments: 0, lessonProgress: 0, quizAttempts: 0, quizResponses: 0, certificates: 0, workshops: 0, workshopCredits: 0 };
  const indexes = await dropSecondaryIndexes(db);
  try {
    let randomCalls = 0;
    for (let done = 0; done < officials; done += PART_OFFICIALS) {
      const result = await runPart(Math.min(PART_OFFICIALS, officials - done), { randomCalls, now: options.now });
      randomCalls = result.randomCalls;
      for (const key of Object.keys(total) as (keyof DemoSummary)[]) total[key] = (total[key] ?? 0) + (result.summary[key] ?? 0);
      options.onProgress(Math.min(officials, done + PART_OFFICIALS), officials);
    }
  } finally {
    options.onPhase('indexes');
    await restoreIndexes(db, indexes);
  }
  return finishDemoPopulation(db, courses, total, { seed: options.seed, now: options.now, onPhase: options.onPhase });
}
// Migrated first, so that an empty database gets its tables and reference data instead of "no such table"; a
// prepared one costs a look at the migrations table and a few skipped inserts.
await setupDatabase({ url, authToken, demo: true });
const db = openDatabase({ url, authToken });
try {
  if (values['if-empty'] && (await countSyntheticOfficials(db)) > 0) {
    console.log('Demo population already present; keeping it.');
  } else {
    const courses = readCourseCatalog(values.content);
    const started = performance.now();
    let lastPrint = 0;
    const onPhase = (phase: 'indexes' | 'summaries') => {
      const t = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n  ${t} s: ${phase === 'indexes' ? 'rebuilding indexes' : 'rebuilding report summaries'}…`);
    };
    const onProgress = (done: number, total: number) => {
      const t = performance.now();
      if (t - lastPrint > 1000 || done === total) {
        lastPrint = t;
        const rate = Math.round(done / ((t - started) / 1000));
        process.stdout.write(`\r  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} officials (${Math.round((done / total) * 100)} %, ${rate.toLocaleString('en')}/s)   `);
      }
    };
    const seed = Number(values.seed);
    // An embedded file takes a large population in parts, one process each (see the top); a server's client holds no
    // such memory, and a small population fits in one process.
    const summary =
      officials > PART_OFFICIALS && db.$client.protocol === 'file'
        ? await generateInParts(db, courses, { seed, now: Date.now(), onPhase, onProgress })
        : await generateDemoPopulation(db, courses, { officials, seed, months: Number(values.months), onPhase, onProgress });
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write('\n');
    console.log(`Generated in ${seconds.toFixed(1)} s from ${courses.length} courses:`);
    for (const [table, count] of Object.entries(summary)) console.log(`  ${table.padEnd(15)} ${count.toLocaleString('en')}`);
    if (db.$client.protocol === 'file') await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
    const path = (url ?? 'file:data/capacita.db').replace(/^file:/, '');
    try {
      console.log(`Database size: ${(statSync(path).size / 1024 / 1024).toFixed(1)} MiB (${path})`);
    } catch {
      // A libSQL server: no local file to measure.
    }
  }
} finally {
  db.$client.close();
}
