// The demo population generated in parts (one process each, db/seed/demo-cli.ts, so memory stays flat at 200 000
// officials) is the very population one run generates: the parts continue the seeded sequence where the last stopped.
import { afterAll, describe, expect, it } from 'vitest';
import { readCourseCatalog } from '../../db/seed/course-catalog.ts';
import { generateOfficials } from '../../db/seed/demo.ts';
import type { Database } from '../../db/client.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

const NOW = Date.UTC(2026, 5, 1);
const courses = readCourseCatalog();
const opened: TestDatabase[] = [];
afterAll(() => opened.forEach((t) => t.close()));

async function populate(parts: number[]): Promise<Database> {
  const t = await createTestDatabase();
  opened.push(t);
  let randomCalls = 0;
  for (const officials of parts) randomCalls = (await generateOfficials(t.db, courses, { officials, now: NOW, batchSize: 300 }, { randomCalls })).randomCalls;
  return t.db;
}

/** Every generated row of every table, in id order, as text. */
async function contents(db: Database): Promise<string> {
  const out: string[] = [];
  for (const table of ['users', 'enrolments', 'lesson_progress', 'quiz_attempts', 'quiz_responses', 'certificates']) {
    const rows = await db.$client.execute(`SELECT * FROM ${table} ORDER BY rowid`);
    out.push(`${table}: ${rows.rows.length}`, ...rows.rows.map((r) => JSON.stringify(Object.values(r))));
  }
  return out.join('\n');
}

describe('demo population in parts', () => {
  it('gives the same rows as one run', async () => {
    const whole = await contents(await populate([1000]));
    const parts = await contents(await populate([400, 350, 250]));
    expect(whole).toContain('certificates: ');
    expect(whole.split('\n').length).toBeGreaterThan(5000);
    expect(parts).toBe(whole);
  });
});
