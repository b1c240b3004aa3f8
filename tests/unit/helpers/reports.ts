// Small hand-made learning histories for the report tests. Every event goes through the same summary functions the
// learning code calls (src/server/reports/summary.ts), inside a transaction, like in production.
import { sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import type { ProgrammeId } from '../../../db/schema.ts';
import {
  recordCertificateIssued,
  recordCertificateRevoked,
  recordCompletion,
  recordEnrolment,
  recordQuizSubmitted,
  recordStarted,
} from '../../../src/server/reports/summary.ts';

export const DAY = 86_400_000;
/** A fixed "now" for the tests: 15 June 2026, 12:00 UTC. */
export const NOW = Date.UTC(2026, 5, 15, 12);

export async function institutionId(db: Database, countryCode: string, acronym: string): Promise<number> {
  const rows = await db.all<{ id: number }>(sql`SELECT id FROM institutions WHERE country_code = ${countryCode} AND acronym = ${acronym}`);
  if (!rows[0]) throw new Error(`No institution ${acronym} in ${countryCode}`);
  return Number(rows[0].id);
}

export async function setTarget(db: Database, institution: number, programme: ProgrammeId, target: number): Promise<void> {
  await db.run(sql`INSERT INTO institution_targets (institution_id, programme, target) VALUES (${institution}, ${programme}, ${target})
    ON CONFLICT DO UPDATE SET target = excluded.target`);
}

/** Removes every target, so a test sets only the ones it reasons about. */
export async function clearTargets(db: Database): Promise<void> {
  await db.run(sql`DELETE FROM institution_targets`);
}

let counter = 0;
export async function addPerson(db: Database, countryCode: string, institution: number, name = `Persona ${++counter}`, active = true): Promise<number> {
  const email = `p${++counter}-${Math.random().toString(36).slice(2)}@test.capacita`;
  const rows = await db.all<{ id: number }>(sql`INSERT INTO users (name, email, email_key, role, country_code, institution_id, active)
    VALUES (${name}, ${email}, ${email}, 'learner', ${countryCode}, ${institution}, ${active ? 1 : 0}) RETURNING id`);
  return Number(rows[0]!.id);
}

export interface Story {
  userId: number;
  countryCode: string;
  institutionId: number;
  courseId: string;
  programme: ProgrammeId;
  enrolledAt: number;
  startedAt?: number | null;
  completedAt?: number | null;
  /** Certificate validity in months (null = never expires); a certificate is issued on completion unless false. */
  certificate?: { validityDays: number | null } | false;
  cycle?: number;
}

/** One enrolment with its progress and (on completion) its certificate, with the summaries kept in step. */
export async function takeCourse(db: Database, s: Story): Promise<{ enrolmentId: number; certificateId: number | null }> {
  return db.transaction(async (tx) => {
    const [e] = await tx.all<{ id: number }>(sql`INSERT INTO enrolments (user_id, course_id, programme, cycle, country_code, institution_id, enrolled_at, started_at, completed_at)
      VALUES (${s.userId}, ${s.courseId}, ${s.programme}, ${s.cycle ?? 1}, ${s.countryCode}, ${s.institutionId}, ${s.enrolledAt}, ${s.startedAt ?? null}, ${s.completedAt ?? null}) RETURNING id`);
    const facts = { countryCode: s.countryCode, institutionId: s.institutionId, courseId: s.courseId, programme: s.programme, enrolledAt: s.enrolledAt, startedAt: s.startedAt ?? null };
    await recordEnrolment(tx, facts);
    if (s.startedAt != null) await recordStarted(tx, facts);
    let certificateId: number | null = null;
    if (s.completedAt != null) {
      await recordCompletion(tx, { ...facts, completedAt: s.completedAt });
      if (s.certificate !== false) {
        const validity = s.certificate?.validityDays === undefined ? 730 : s.certificate.validityDays;
        const code = `T-${Math.random().toString(36).slice(2)}-${++counter}`;
        const [c] = await tx.all<{ id: number }>(sql`INSERT INTO certificates (code, user_id, enrolment_id, course_id, programme, holder_name, country_code, institution_id, issued_at, expires_at)
          VALUES (${code}, ${s.userId}, ${e!.id}, ${s.courseId}, ${s.programme}, 'x', ${s.countryCode}, ${s.institutionId}, ${s.completedAt}, ${validity === null ? null : s.completedAt + validity * DAY}) RETURNING id`);
        certificateId = Number(c!.id);
        await recordCertificateIssued(tx, { userId: s.userId }, facts);
      }
    }
    return { enrolmentId: Number(e!.id), certificateId };
  });
}

export async function revoke(db: Database, certificateId: number, at: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [c] = await tx.all<{ user_id: number; enrolment_id: number }>(sql`UPDATE certificates SET revoked_at = ${at} WHERE id = ${certificateId} RETURNING user_id, enrolment_id`);
    const [e] = await tx.all<{ country_code: string; institution_id: number; course_id: string; programme: ProgrammeId; enrolled_at: number }>(sql`SELECT * FROM enrolments WHERE id = ${c!.enrolment_id}`);
    await recordCertificateRevoked(tx, { userId: Number(c!.user_id) }, { countryCode: e!.country_code, institutionId: e!.institution_id, courseId: e!.course_id, programme: e!.programme, enrolledAt: e!.enrolled_at });
  });
}

/** A submitted quiz attempt with its responses (score = number of correct responses, out of the responses given). */
export async function submitQuiz(
  db: Database,
  enrolmentId: number,
  userId: number,
  countryCode: string,
  courseId: string,
  responses: { questionId: string; response: unknown; correct: boolean }[],
  at = NOW,
): Promise<void> {
  await db.transaction(async (tx) => {
    const score = responses.filter((r) => r.correct).length;
    const [a] = await tx.all<{ id: number }>(sql`INSERT INTO quiz_attempts (enrolment_id, user_id, course_id, paper, started_at, submitted_at, score, max_score, passed)
      VALUES (${enrolmentId}, ${userId}, ${courseId}, '{}', ${at - 600_000}, ${at}, ${score}, ${responses.length}, ${score / responses.length >= 0.8 ? 1 : 0}) RETURNING id`);
    for (const r of responses) {
      await tx.run(sql`INSERT INTO quiz_responses (attempt_id, question_id, response, score, correct) VALUES (${a!.id}, ${r.questionId}, ${JSON.stringify(r.response)}, ${r.correct ? 1 : 0}, ${r.correct ? 1 : 0})`);
    }
    await recordQuizSubmitted(tx, { countryCode, courseId, score, maxScore: responses.length, responses });
  });
}
