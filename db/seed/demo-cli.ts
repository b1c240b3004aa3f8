// npm run db:demo -- --officials 200000 [--seed 2026] [--months 30] [--if-empty] [--content DIR]
// --content (or CAPACITA_CONTENT_DIR) reads course.yaml/quiz.yaml from DIR/courses instead of ./content/courses.
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../client.ts';
import { setupDatabase } from '../setup.ts';
import { DEFAULT_CONTENT_DIR, readCourseCatalog } from './course-catalog.ts';
import { countSyntheticOfficials, generateDemoPopulation } from './demo.ts';

const { values } = parseArgs({
  options: {
    officials: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '2026' },
    months: { type: 'string', default: '30' },
    'if-empty': { type: 'boolean', default: false },
    content: { type: 'string', default: DEFAULT_CONTENT_DIR },
  },
});
const officials = Number(values.officials);
if (!Number.isInteger(officials) || officials < 0) {
  console.error(`--officials must be a whole number, got "${values.officials}"`);
  process.exit(2);
}

const url = process.env.DATABASE_URL || undefined;
const authToken = process.env.DATABASE_AUTH_TOKEN || undefined;
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
    const summary = await generateDemoPopulation(db, courses, {
      officials,
      seed: Number(values.seed),
      months: Number(values.months),
      onPhase: (phase) => {
        const t = ((performance.now() - started) / 1000).toFixed(1);
        process.stdout.write(`\n  ${t} s: ${phase === 'indexes' ? 'rebuilding indexes' : 'rebuilding report summaries'}…`);
      },
      onProgress: (done, total) => {
        const t = performance.now();
        if (t - lastPrint > 1000 || done === total) {
          lastPrint = t;
          const rate = Math.round(done / ((t - started) / 1000));
          process.stdout.write(`\r  ${done.toLocaleString('en')} / ${total.toLocaleString('en')} officials (${Math.round((done / total) * 100)} %, ${rate.toLocaleString('en')}/s)   `);
        }
      },
    });
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
