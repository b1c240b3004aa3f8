// Who gets which reminder when (issue 15), on a fixture clock and a real database: the learner's local day, each
// stage once, opted-out / deactivated / erased / unconfirmed people never, and two runs racing send once.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import { optOut, runReminders, unsubscribeUrl, verifyUnsubscribe, type ReminderCatalog } from '../../src/server/reminders/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, anyInstitution, DAY, takeCourse } from './helpers/reports.ts';

const SECRET = 'unit-test-secret';
const ORIGIN = 'https://capacita.example.org';
const catalog: ReminderCatalog = {
  refresherCourseId: 'actualizacion-2026',
  courses: [
    { id: 'basico-fundamentos', title: { es: 'Fundamentos', en: 'Foundations' }, attempts: 3, cooldownMinutes: 60 },
    { id: 'actualizacion-2026', title: { es: 'Actualización 2026', en: 'Refresher 2026' }, attempts: 0, cooldownMinutes: 0 },
  ],
};
const run = (db: Database, now: number, batchSize?: number) => runReminders(db, { now, catalog, origin: ORIGIN, secret: SECRET, ...(batchSize ? { batchSize } : {}) });

// Guatemala is UTC−6 all year. The certificate lapses at 23:00 on 13 August, local time (05:00 UTC on the 14th).
const LAPSE = Date.UTC(2026, 7, 14, 5);
const localMidnight = (y: number, m: number, d: number) => Date.UTC(y, m, d, 6);

let t: TestDatabase;
let institution: number;
beforeEach(async () => {
  t = await createTestDatabase();
  institution = await anyInstitution(t.db, 'GT');
});
afterEach(() => t.close());

async function holder(lapsesAt = LAPSE, name?: string): Promise<number> {
  const userId = await addPerson(t.db, 'GT', institution, name);
  await takeCourse(t.db, { userId, countryCode: 'GT', institutionId: institution, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: lapsesAt - 740 * DAY, startedAt: lapsesAt - 740 * DAY, completedAt: lapsesAt - 730 * DAY, certificate: { validityDays: 730 } });
  return userId;
}

const sent = (db: Database) => db.all<{ user_id: number; kind: string; due_key: string }>(sql`SELECT user_id, kind, due_key FROM reminders_sent ORDER BY rowid`);
const outbox = (db: Database) => db.all<{ kind: string; to_address: string; subject: string; text: string; locale: string; list_unsubscribe: string | null }>(sql`SELECT * FROM mail_outbox ORDER BY id`);

describe('refresher reminders', () => {
  it('goes 60 days before the lapse day of the learner’s country, not of UTC', async () => {
    const userId = await holder();
    // 23:30 on 13 June in Guatemala (05:30 UTC on the 14th): 61 local days before 13 August.
    expect((await run(t.db, localMidnight(2026, 5, 14) - 30 * 60_000)).queued).toBe(0);
    // 00:30 on 14 June in Guatemala: 60 days.
    expect((await run(t.db, localMidnight(2026, 5, 14) + 30 * 60_000)).queued).toBe(1);
    expect(await sent(t.db)).toEqual([{ user_id: userId, kind: 'refresher_60', due_key: '2026-08-13' }]);
    const [mail] = await outbox(t.db);
    expect(mail!.kind).toBe('reminder_refresher_60');
    expect(mail!.subject).toBe('Su certificación vence en 60 días');
    expect(mail!.text).toContain(`${ORIGIN}/es/courses/actualizacion-2026`);
    expect(mail!.text).toContain('13 de agosto de 2026');
  });

  it('sends each stage once: a second run, the next day, a restart or a clock set back send nothing more', async () => {
    await holder();
    const day60 = localMidnight(2026, 5, 14) + 3_600_000;
    expect((await run(t.db, day60)).queued).toBe(1);
    expect((await run(t.db, day60)).queued).toBe(0);
    expect((await run(t.db, day60 + DAY)).queued).toBe(0);
    // 14 days before: the second stage; then the clock jumps back to the 60-day window.
    expect((await run(t.db, localMidnight(2026, 6, 30) + 3_600_000)).queued).toBe(1);
    expect((await run(t.db, day60)).queued).toBe(0);
    // On the day (13 August, local) — at 00:10 local, before the lapsing instant that evening.
    expect((await run(t.db, localMidnight(2026, 7, 13) + 600_000)).queued).toBe(1);
    expect((await run(t.db, localMidnight(2026, 7, 15))).queued).toBe(0);
    expect((await sent(t.db)).map((r) => r.kind)).toEqual(['refresher_60', 'refresher_14', 'refresher_0']);
    const subjects = (await outbox(t.db)).map((m) => m.subject);
    expect(subjects).toEqual(['Su certificación vence en 60 días', 'Su certificación vence en 14 días', 'Su certificación vence hoy: haga la Actualización']);
  });

  it('skips to the current stage after a clock jump forward, and stops a week after the lapse day', async () => {
    await holder();
    expect((await run(t.db, localMidnight(2026, 7, 3))).queued).toBe(1); // 10 days left: the 14-day stage only
    expect((await sent(t.db)).map((r) => r.kind)).toEqual(['refresher_14']);
    const other = await holder(LAPSE - 10 * DAY, 'Lapsed long ago');
    expect((await run(t.db, localMidnight(2026, 7, 13))).queued).toBe(1); // the first one's day; the other lapsed 10 days ago
    expect((await sent(t.db)).some((r) => r.user_id === other)).toBe(false);
  });

  it('a renewed certificate has a new lapse day, so its reminders start again', async () => {
    const userId = await holder();
    await run(t.db, localMidnight(2026, 5, 14) + 3_600_000);
    await takeCourse(t.db, { userId, countryCode: 'GT', institutionId: institution, courseId: 'actualizacion-2026', programme: 'actualizacion', enrolledAt: LAPSE - 40 * DAY, startedAt: LAPSE - 40 * DAY, completedAt: LAPSE - 30 * DAY, certificate: { validityDays: 730 } });
    expect((await run(t.db, LAPSE - 30 * DAY + 730 * DAY - 59 * DAY)).queued).toBe(1);
    expect((await sent(t.db)).map((r) => r.due_key)).toEqual(['2026-08-13', '2028-07-13']);
  });

  it('never goes to people who turned refreshers off, deactivated, erased or unconfirmed accounts', async () => {
    const optedOut = await holder();
    await optOut(t.db, optedOut, 'refresher');
    const deactivated = await holder();
    await t.db.run(sql`UPDATE users SET active = 0 WHERE id = ${deactivated}`);
    const erased = await holder();
    await t.db.run(sql`UPDATE users SET erased_at = ${LAPSE - 100 * DAY} WHERE id = ${erased}`);
    const unconfirmed = await holder();
    await t.db.run(sql`UPDATE users SET email_verified = 0 WHERE id = ${unconfirmed}`);
    const stalledOnly = await holder();
    await optOut(t.db, stalledOnly, 'stalled'); // another kind turned off: refreshers still go
    const stats = await run(t.db, localMidnight(2026, 5, 14) + 3_600_000);
    expect(stats.queued).toBe(1);
    expect((await sent(t.db)).map((r) => r.user_id)).toEqual([stalledOnly]);
  });

  it('carries a signed unsubscribe link for its kind, also as List-Unsubscribe, in the learner’s language', async () => {
    const userId = await holder();
    await t.db.run(sql`UPDATE users SET locale = 'en' WHERE id = ${userId}`);
    await run(t.db, localMidnight(2026, 5, 14) + 3_600_000);
    const [mail] = await outbox(t.db);
    const expected = unsubscribeUrl(ORIGIN, SECRET, 'en', userId, 'refresher');
    expect(mail!.subject).toBe('Your certification lapses in 60 days');
    expect(mail!.list_unsubscribe).toBe(expected);
    expect(mail!.text).toContain(expected);
    const url = new URL(expected);
    expect(url.pathname).toBe('/en/unsubscribe');
    const params = Object.fromEntries(url.searchParams);
    expect(verifyUnsubscribe(SECRET, params)).toEqual({ userId, kind: 'refresher' });
    expect(verifyUnsubscribe('another-secret', params)).toBeNull();
    expect(verifyUnsubscribe(SECRET, { ...params, u: String(userId + 1) })).toBeNull();
    expect(verifyUnsubscribe(SECRET, { ...params, k: 'stalled' })).toBeNull();
  });
});

describe('two runs at once', () => {
  it('queue each reminder once between them, on two connections racing over the same people', async () => {
    for (let i = 0; i < 40; i++) await holder();
    const [file] = await t.db.all<{ file: string }>(sql`SELECT file FROM pragma_database_list WHERE name = 'main'`);
    const other = openDatabase({ url: `file:${file!.file}` });
    try {
      const now = localMidnight(2026, 5, 14) + 3_600_000;
      const [a, b] = await Promise.all([run(t.db, now, 7), run(other, now, 7)]);
      expect(a.queued + b.queued).toBe(40);
      expect(a.queued + a.alreadySent + b.queued + b.alreadySent).toBe(a.considered + b.considered);
      expect(await sent(t.db)).toHaveLength(40);
      const mails = await outbox(t.db);
      expect(mails).toHaveLength(40);
      expect(new Set(mails.map((m) => m.to_address)).size).toBe(40);
    } finally {
      other.$client.close();
    }
  });
});

describe('the write lock', () => {
  // SQLite checkpoints the WAL inside the COMMIT that takes it past 1000 pages (hundreds of ms at 200 000 officials,
  // bench/reminders.mjs). The pass checkpoints between its batches instead, so the log a COMMIT adds to stays one
  // batch long; without that it grows with every batch until SQLite checkpoints inside one of them.
  const walPages = async (db: Database) => Number((await db.$client.execute('PRAGMA wal_checkpoint(PASSIVE)')).rows[0]!.log);
  it('checkpoints the WAL between batches, outside the write transactions', async () => {
    for (let i = 0; i < 60; i++) await holder();
    const now = localMidnight(2026, 5, 14) + 3_600_000;
    const stats = await runReminders(t.db, { now, catalog, origin: ORIGIN, secret: SECRET, batchSize: 5 });
    expect(stats.batches).toBe(12);
    expect(stats.largestWalPages).toBeGreaterThan(0);
    // What the last batch wrote is all the log holds: the ones before it were checkpointed before it began.
    const after = await walPages(t.db);
    expect(after).toBeLessThanOrEqual(stats.largestWalPages + 5);

    // The same pass without it, on a fresh database: the log holds every batch.
    const other = await createTestDatabase();
    try {
      const place = await anyInstitution(other.db, 'GT');
      for (let i = 0; i < 60; i++) {
        const userId = await addPerson(other.db, 'GT', place);
        await takeCourse(other.db, { userId, countryCode: 'GT', institutionId: place, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: LAPSE - 740 * DAY, startedAt: LAPSE - 740 * DAY, completedAt: LAPSE - 730 * DAY, certificate: { validityDays: 730 } });
      }
      await other.db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      await runReminders(other.db, { now, catalog, origin: ORIGIN, secret: SECRET, batchSize: 5, checkpointBetweenBatches: false });
      expect(await walPages(other.db)).toBeGreaterThan(after * 4);
    } finally {
      other.close();
    }
  });
});

describe('stalled courses', () => {
  const NOW = Date.UTC(2026, 5, 15, 12);
  async function enrolled(lastActivity: number): Promise<{ userId: number; enrolmentId: number }> {
    const userId = await addPerson(t.db, 'GT', institution);
    const { enrolmentId } = await takeCourse(t.db, { userId, countryCode: 'GT', institutionId: institution, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: lastActivity - 5 * DAY, startedAt: lastActivity - 5 * DAY });
    await t.db.run(sql`INSERT INTO lesson_progress (enrolment_id, lesson, completed_at) VALUES (${enrolmentId}, 'l1', ${lastActivity})`);
    return { userId, enrolmentId };
  }

  it('go after 14 idle days, once more 30 days later, then never', async () => {
    const { enrolmentId } = await enrolled(NOW - 14 * DAY);
    expect((await run(t.db, NOW - DAY)).queued).toBe(0); // 13 idle days: not yet
    expect((await run(t.db, NOW)).queued).toBe(1);
    expect((await run(t.db, NOW + 29 * DAY)).queued).toBe(0);
    expect((await run(t.db, NOW + 30 * DAY)).queued).toBe(1);
    const mine = (await sent(t.db)).filter((r) => r.due_key === `e${enrolmentId}`);
    expect(mine.map((r) => r.kind)).toEqual(['stalled_14', 'stalled_30']);
    await run(t.db, NOW + 90 * DAY);
    expect((await sent(t.db)).filter((r) => r.due_key === `e${enrolmentId}`)).toHaveLength(2);
    const mails = (await outbox(t.db)).filter((m) => m.kind.startsWith('reminder_stalled'));
    expect(mails[0]!.text).toContain(`${ORIGIN}/es/courses/basico-fundamentos`);
    expect(mails[0]!.text).toContain('Hace 14 días');
  });

  it('no second reminder after the learner came back, none for a completed course or one abandoned long ago', async () => {
    const { enrolmentId } = await enrolled(NOW - 20 * DAY);
    await enrolled(NOW - 200 * DAY);
    const done = await enrolled(NOW - 20 * DAY);
    await t.db.run(sql`UPDATE enrolments SET completed_at = ${NOW - 19 * DAY} WHERE id = ${done.enrolmentId}`);
    expect((await run(t.db, NOW)).queued).toBe(1);
    await t.db.run(sql`INSERT INTO lesson_progress (enrolment_id, lesson, completed_at) VALUES (${enrolmentId}, 'l2', ${NOW + DAY})`);
    expect((await run(t.db, NOW + 31 * DAY)).queued).toBe(0);
    // Idle again for 14 days after coming back: still only "once, then once more" per enrolment, and the first went.
    expect((await sent(t.db)).map((r) => r.kind)).toEqual(['stalled_14']);
  });

  it('respect the stalled opt-out', async () => {
    const { userId } = await enrolled(NOW - 15 * DAY);
    await optOut(t.db, userId, 'stalled');
    expect((await run(t.db, NOW)).queued).toBe(0);
  });
});

describe('quiz attempts left', () => {
  const NOW = Date.UTC(2026, 5, 15, 12);
  async function failed(attempts: number, lastAt = NOW - 3_600_000): Promise<number> {
    const userId = await addPerson(t.db, 'GT', institution);
    const { enrolmentId } = await takeCourse(t.db, { userId, countryCode: 'GT', institutionId: institution, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: NOW - 3 * DAY, startedAt: NOW - 3 * DAY });
    for (let i = attempts; i >= 1; i--) {
      const at = lastAt - (i - 1) * 2 * 3_600_000;
      await t.db.run(sql`INSERT INTO quiz_attempts (enrolment_id, user_id, course_id, paper, started_at, submitted_at, score, max_score, passed)
        VALUES (${enrolmentId}, ${userId}, 'basico-fundamentos', '{}', ${at - 600_000}, ${at}, 5, 10, 0)`);
    }
    return userId;
  }

  it('go once after a failed attempt that leaves attempts, with the cooldown', async () => {
    await failed(1, NOW - 30 * 60_000); // cooldown of 60 minutes ends 30 minutes from now
    await failed(3); // no attempts left
    expect((await run(t.db, NOW)).queued).toBe(1);
    expect((await run(t.db, NOW + DAY)).queued).toBe(0);
    const [mail] = (await outbox(t.db)).filter((m) => m.kind === 'reminder_quiz_retry');
    expect(mail!.text).toContain('Le quedan 2 intentos.');
    // 12:30 UTC is 06:30 in Guatemala.
    expect(mail!.text).toMatch(/a partir del 15 de junio de 2026, 6:30/);
    expect(mail!.text).toContain(`${ORIGIN}/es/courses/basico-fundamentos/quiz`);
  });

  it('not for an attempt older than a week, nor after a newer attempt started', async () => {
    await failed(1, NOW - 8 * DAY);
    const userId = await failed(1);
    await t.db.run(sql`INSERT INTO quiz_attempts (enrolment_id, user_id, course_id, paper, started_at) SELECT enrolment_id, user_id, course_id, '{}', ${NOW - 60_000} FROM quiz_attempts WHERE user_id = ${userId}`);
    expect((await run(t.db, NOW)).queued).toBe(0);
  });
});
