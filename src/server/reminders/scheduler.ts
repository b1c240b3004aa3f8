// The reminder scheduler: one pass decides who is due and, for each, records the send in reminders_sent and queues
// the mail in the same transaction. Exactly once comes from the table, not from the clock or from which node runs:
//  - a reminder is named by (person, stage, occasion) — the lapse day in the learner's country, the enrolment, the
//    attempt — and that triple is the primary key; the insert is ON CONFLICT DO NOTHING … RETURNING, and only the
//    rows it returns get mail, so two nodes racing over the same person queue one message between them;
//  - a crash before COMMIT leaves neither the record nor the mail; after COMMIT both;
//  - a clock that jumps back re-decides stages already recorded; one that jumps forward lands in a later stage's
//    window (the windows are disjoint), so a stage is skipped rather than repeated.
// Reading who is due happens outside any write transaction; writes go in batches small enough that the write lock
// is held for milliseconds at a time (the pass reports the longest hold).
import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import type { Locale, ReminderKind } from '../../../db/schema.ts';
import { enqueueMany, type OutgoingMessage } from '../mail/outbox.ts';
import { unsubscribeUrl } from './consent.ts';
import { daysBetween, localDate } from './local-day.ts';
import { quizRetryMail, refresherDueMail, stalledCourseMail } from './messages.ts';

const DAY = 86_400_000;

/** Refresher stages by days left until the lapse day (local dates): 60 → (14, 60], 14 → (0, 14], 0 → (−7, 0]. */
export const REFRESHER_STAGES = [
  { kind: 'refresher_60', from: 60, downTo: 15 },
  { kind: 'refresher_14', from: 14, downTo: 1 },
  // On the day, and for a week after it in case the scheduler was down that day.
  { kind: 'refresher_0', from: 0, downTo: -6 },
] as const;
export const STALLED_AFTER_DAYS = 14;
/** The second stalled reminder goes this long after the first, if nothing happened in between. */
export const STALLED_AGAIN_AFTER_DAYS = 30;
/** A failed attempt older than this gets no reminder (the scheduler was down, or the feature arrived later). */
export const QUIZ_RETRY_WINDOW_DAYS = 7;

export interface ReminderCourse {
  id: string;
  title: { es: string; en: string };
  attempts: number;
  cooldownMinutes: number;
}

/** The content the scheduler needs, handed in by the app (the domain does not read content collections). */
export interface ReminderCatalog {
  /** The Actualización course the refresher reminders link to. */
  refresherCourseId: string | null;
  courses: ReminderCourse[];
}

export interface ReminderOptions {
  now?: number;
  catalog: ReminderCatalog;
  /** The public origin links are written with (configuration, never a request). */
  origin: string;
  secret: string;
  /** Reminders recorded and queued per write transaction. */
  batchSize?: number;
  /** Rows read per query. */
  pageSize?: number;
  /** Checkpoint the WAL between batches, outside the write transactions (default; false only to measure without). */
  checkpointBetweenBatches?: boolean;
}

export interface ReminderRunStats {
  considered: number;
  queued: number;
  /** Sends another run (another node) had already recorded when this one tried. */
  alreadySent: number;
  batches: number;
  /** The longest write transaction, BEGIN IMMEDIATE → COMMIT returned (the commit's fsync and any WAL checkpoint included). */
  longestWriteMs: number;
  /** The longest time from BEGIN IMMEDIATE to the last statement before COMMIT. */
  longestStatementsMs: number;
  /** The longest COMMIT alone (its fsync, and a WAL checkpoint when one runs there). */
  longestCommitMs: number;
  /** Write transactions that held the lock for more than WRITE_HOLD_TARGET_MS. */
  writesOverTarget: number;
  /**
   * The most CPU this process spent inside one write transaction (user + system, ms): what the hold would be on a
   * machine with a core to spare, less the fsync's wait — on a loaded machine the wall-clock hold is mostly waiting to run.
   */
  longestWriteCpuMs: number;
  /** The most pages the WAL held before a batch (what the COMMIT after it would carry toward the automatic checkpoint at 1000). */
  largestWalPages: number;
}

/** How long one write transaction of the scheduler may hold the write lock (issue 15). */
export const WRITE_HOLD_TARGET_MS = 100;

export interface Candidate {
  userId: number;
  kind: string;
  dueKey: string;
  message: OutgoingMessage;
}

export interface PersonRow {
  user_id: number;
  email: string;
  name: string;
  locale: Locale;
  time_zone: string;
}

/** People who may get reminders of a kind: active, not erased, a confirmed address, the kind not turned off. */
export const eligible = (kind: ReminderKind) => sql`u.active = 1 AND u.erased_at IS NULL AND u.email_verified = 1
  AND NOT EXISTS (SELECT 1 FROM reminder_opt_outs o WHERE o.user_id = u.id AND o.kind = ${kind})`;
export const timeZoneOf = sql`coalesce((SELECT c.time_zone FROM countries c WHERE c.code = u.country_code), 'UTC')`;

export const emptyStats = (): ReminderRunStats => ({ considered: 0, queued: 0, alreadySent: 0, batches: 0, longestWriteMs: 0, longestStatementsMs: 0, longestCommitMs: 0, writesOverTarget: 0, longestWriteCpuMs: 0, largestWalPages: 0 });

export async function runReminders(db: Database, options: ReminderOptions): Promise<ReminderRunStats> {
  const now = options.now ?? Date.now();
  const stats = emptyStats();
  const writer = new BatchWriter(db, options.batchSize ?? 100, now, stats, undefined, options.checkpointBetweenBatches ?? true);
  for await (const c of refresherCandidates(db, options, now)) await writer.add(c);
  for await (const c of stalledCandidates(db, options, now)) await writer.add(c);
  for await (const c of quizRetryCandidates(db, options, now)) await writer.add(c);
  await writer.flush();
  return stats;
}


/** Records and queues candidates a batch at a time; only the rows this transaction inserted get their mail. */
export class BatchWriter {
  private pending: Candidate[] = [];
  private readonly db: Database;
  private readonly size: number;
  private readonly now: number;
  private readonly stats: ReminderRunStats;
  /** Runs inside the first batch's transaction (an audit row commits with the first mail, or not at all). */
  private first: ((tx: Transaction) => Promise<void>) | undefined;
  private readonly checkpoint: boolean;
  constructor(db: Database, size: number, now: number, stats: ReminderRunStats, first?: (tx: Transaction) => Promise<void>, checkpoint = true) {
    this.db = db;
    this.size = size;
    this.now = now;
    this.stats = stats;
    this.first = first;
    this.checkpoint = checkpoint;
  }

  async add(candidate: Candidate): Promise<void> {
    this.stats.considered++;
    this.pending.push(candidate);
    if (this.pending.length >= this.size) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const byKey = new Map(batch.map((c) => [`${c.userId}|${c.kind}|${c.dueKey}`, c]));
    // SQLite checkpoints the WAL automatically inside the COMMIT that takes it past 1000 pages, copying every page
    // since the last checkpoint into the database file while this process waits (a 200 000-person pass: hundreds of
    // ms inside one of its write transactions). Checkpointing what the previous batch wrote first, outside any
    // transaction, lets the next writer restart the log: no COMMIT of the pass reaches that size. PASSIVE never waits
    // for readers or writers, and checkpoints as far as it can.
    if (this.checkpoint && this.db.$client.protocol === 'file') {
      const [wal] = (await this.db.$client.execute('PRAGMA wal_checkpoint(PASSIVE)')).rows;
      this.stats.largestWalPages = Math.max(this.stats.largestWalPages, Number(wal?.log ?? 0));
    }
    let inserted = 0;
    // The write lock is held from BEGIN IMMEDIATE (done when the callback starts) until COMMIT has returned.
    let locked = 0;
    let statementsDone = 0;
    let cpu = process.cpuUsage();
    await writeTransaction(this.db, async (tx) => {
      locked = performance.now();
      cpu = process.cpuUsage();
      const values = sql.join(
        batch.map((c) => sql`(${c.userId}, ${c.kind}, ${c.dueKey}, ${this.now})`),
        sql`, `,
      );
      const rows = await tx.all<{ user_id: number; kind: string; due_key: string }>(
        sql`INSERT INTO reminders_sent (user_id, kind, due_key, sent_at) VALUES ${values} ON CONFLICT DO NOTHING RETURNING user_id, kind, due_key`,
      );
      const messages = rows.map((r) => byKey.get(`${Number(r.user_id)}|${r.kind}|${r.due_key}`)!.message);
      await enqueueMany(tx, messages, this.now);
      if (this.first && rows.length > 0) await this.first(tx);
      inserted = rows.length;
      statementsDone = performance.now();
      this.stats.longestStatementsMs = Math.max(this.stats.longestStatementsMs, statementsDone - locked);
    });
    const released = performance.now();
    const used = process.cpuUsage(cpu);
    this.stats.longestWriteCpuMs = Math.max(this.stats.longestWriteCpuMs, (used.user + used.system) / 1000);
    if (inserted > 0) this.first = undefined;
    this.stats.longestWriteMs = Math.max(this.stats.longestWriteMs, released - locked);
    this.stats.longestCommitMs = Math.max(this.stats.longestCommitMs, released - statementsDone);
    if (released - locked > WRITE_HOLD_TARGET_MS) this.stats.writesOverTarget++;
    this.stats.batches++;
    this.stats.queued += inserted;
    this.stats.alreadySent += batch.length - inserted;
  }
}

/** Reads a query page by page on a numeric key (keyset), so no read holds anything for long. */
async function* pages<T extends { key: number }>(read: (after: number) => Promise<T[]>): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const rows = await read(after);
    if (rows.length === 0) return;
    yield* rows;
    after = Number(rows[rows.length - 1]!.key);
  }
}

async function* refresherCandidates(db: Database, options: ReminderOptions, now: number): AsyncGenerator<Candidate> {
  const courseId = options.catalog.refresherCourseId;
  if (!courseId) return;
  const pageSize = options.pageSize ?? 2_000;
  // A day of margin either side of the widest window, for time zones; the exact test is on local dates below.
  const from = now + (REFRESHER_STAGES[2].downTo - 1) * DAY;
  const until = now + (REFRESHER_STAGES[0].from + 1) * DAY;
  const read = (after: number) =>
    db.all<PersonRow & { key: number; valid_until: number; sent: string | null }>(sql`
      SELECT h.user_id AS key, h.user_id, h.valid_until, u.email, u.name, u.locale, ${timeZoneOf} AS time_zone,
             (SELECT group_concat(r.kind || '@' || r.due_key, ' ') FROM reminders_sent r
               WHERE r.user_id = h.user_id AND r.kind IN ('refresher_60', 'refresher_14', 'refresher_0')) AS sent
        FROM report_holders h JOIN users u ON u.id = h.user_id
       WHERE h.user_id > ${after} AND h.track = 'refresh' AND h.valid_until > ${from} AND h.valid_until <= ${until}
         AND ${eligible('refresher')}
       ORDER BY h.user_id LIMIT ${pageSize}`);
  for await (const row of pages(read)) {
    const lapseDay = localDate(Number(row.valid_until), row.time_zone);
    const daysLeft = daysBetween(localDate(now, row.time_zone), lapseDay);
    const stage = REFRESHER_STAGES.find((s) => daysLeft <= s.from && daysLeft >= s.downTo);
    if (!stage) continue;
    if (row.sent?.split(' ').includes(`${stage.kind}@${lapseDay}`)) continue;
    const person = recipient(row, options, 'refresher');
    yield {
      userId: Number(row.user_id),
      kind: stage.kind,
      dueKey: lapseDay,
      message: refresherDueMail({ ...person, lapsesAt: Number(row.valid_until), daysLeft: Math.max(0, daysLeft), url: `${options.origin}/${person.locale}/courses/${courseId}` }),
    };
  }
}

async function* stalledCandidates(db: Database, options: ReminderOptions, now: number): AsyncGenerator<Candidate> {
  const courses = new Map(options.catalog.courses.map((c) => [c.id, c]));
  if (courses.size === 0) return;
  const pageSize = options.pageSize ?? 2_000;
  const idleSince = now - STALLED_AFTER_DAYS * DAY;
  // Activity: enrolling, starting, a lesson done, a quiz attempt started or submitted, an interactive activity.
  const read = (after: number) =>
    db.all<PersonRow & { key: number; enrolment_id: number; course_id: string; last_activity: number; first_sent: number | null; second_sent: number | null }>(sql`
      SELECT e.id AS key, e.id AS enrolment_id, e.course_id, e.user_id, u.email, u.name, u.locale, ${timeZoneOf} AS time_zone,
               max(e.enrolled_at, coalesce(e.started_at, 0),
                   coalesce((SELECT max(lp.completed_at) FROM lesson_progress lp WHERE lp.enrolment_id = e.id), 0),
                   coalesce((SELECT max(coalesce(qa.submitted_at, qa.started_at)) FROM quiz_attempts qa WHERE qa.enrolment_id = e.id), 0),
                   coalesce((SELECT max(ar.updated_at) FROM activity_results ar WHERE ar.user_id = e.user_id AND ar.course_id = e.course_id), 0)) AS last_activity,
               (SELECT r.sent_at FROM reminders_sent r WHERE r.user_id = e.user_id AND r.kind = 'stalled_14' AND r.due_key = 'e' || e.id) AS first_sent,
               (SELECT r.sent_at FROM reminders_sent r WHERE r.user_id = e.user_id AND r.kind = 'stalled_30' AND r.due_key = 'e' || e.id) AS second_sent
          FROM enrolments e JOIN users u ON u.id = e.user_id
         WHERE e.id > ${after} AND e.completed_at IS NULL AND ${eligible('stalled')}
         ORDER BY e.id LIMIT ${pageSize}`);
  for await (const row of pages(read)) {
    const course = courses.get(row.course_id);
    const last = Number(row.last_activity);
    if (!course || last > idleSince || row.second_sent !== null) continue;
    let kind: 'stalled_14' | 'stalled_30';
    if (row.first_sent === null) {
      // Idle for longer than both reminders would have taken: it was abandoned before reminders existed.
      if (last <= now - (STALLED_AFTER_DAYS + STALLED_AGAIN_AFTER_DAYS) * DAY) continue;
      kind = 'stalled_14';
    } else {
      const first = Number(row.first_sent);
      if (last > first || first > now - STALLED_AGAIN_AFTER_DAYS * DAY) continue;
      kind = 'stalled_30';
    }
    const person = recipient(row, options, 'stalled');
    yield {
      userId: Number(row.user_id),
      kind,
      dueKey: `e${row.enrolment_id}`,
      message: stalledCourseMail({
        ...person,
        course: course.title[person.locale],
        idleDays: Math.floor((now - last) / DAY),
        second: kind === 'stalled_30',
        url: `${options.origin}/${person.locale}/courses/${course.id}`,
      }),
    };
  }
}

async function* quizRetryCandidates(db: Database, options: ReminderOptions, now: number): AsyncGenerator<Candidate> {
  const since = now - QUIZ_RETRY_WINDOW_DAYS * DAY;
  for (const course of options.catalog.courses) {
    // The latest attempt of an open enrolment, failed, submitted lately, not yet reminded.
    const rows = await db.all<PersonRow & { attempt_id: number; submitted_at: number; used: number }>(sql`
      SELECT qa.id AS attempt_id, qa.submitted_at, qa.user_id, u.email, u.name, u.locale, ${timeZoneOf} AS time_zone,
             (SELECT count(*) FROM quiz_attempts x WHERE x.enrolment_id = qa.enrolment_id) AS used
        FROM quiz_attempts qa JOIN enrolments e ON e.id = qa.enrolment_id JOIN users u ON u.id = qa.user_id
       WHERE qa.course_id = ${course.id} AND qa.submitted_at > ${since} AND qa.submitted_at <= ${now} AND qa.passed = 0
         AND e.completed_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM quiz_attempts later WHERE later.enrolment_id = qa.enrolment_id AND later.id > qa.id)
         AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.user_id = qa.user_id AND r.kind = 'quiz_retry' AND r.due_key = 'a' || qa.id)
         AND ${eligible('quiz_retry')}`);
    for (const row of rows) {
      const used = Number(row.used);
      if (course.attempts > 0 && used >= course.attempts) continue;
      const person = recipient(row, options, 'quiz_retry');
      const availableAt = course.cooldownMinutes > 0 ? Number(row.submitted_at) + course.cooldownMinutes * 60_000 : null;
      yield {
        userId: Number(row.user_id),
        kind: 'quiz_retry',
        dueKey: `a${row.attempt_id}`,
        message: quizRetryMail({
          ...person,
          course: course.title[person.locale],
          attemptsLeft: course.attempts > 0 ? course.attempts - used : null,
          availableAt: availableAt !== null && availableAt > now ? availableAt : null,
          url: `${options.origin}/${person.locale}/courses/${course.id}/quiz`,
        }),
      };
    }
  }
}

export function recipient(row: PersonRow, options: Pick<ReminderOptions, 'origin' | 'secret'>, kind: ReminderKind) {
  const locale: Locale = row.locale === 'en' ? 'en' : 'es';
  return {
    to: row.email,
    name: row.name,
    locale,
    timeZone: row.time_zone,
    unsubscribeUrl: unsubscribeUrl(options.origin, options.secret, locale, Number(row.user_id), kind),
  };
}
