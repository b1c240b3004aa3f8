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

/** The first institution of a country (reference data), for tests that only need "an institution there". */
export async function anyInstitution(db: Database, countryCode: string, offset = 0): Promise<number> {
  const rows = await db.all<{ id: number }>(sql`SELECT id FROM institutions WHERE country_code = ${countryCode} ORDER BY id LIMIT 1 OFFSET ${offset}`);
  if (!rows[0]) throw new Error(`No institution in ${countryCode}`);
  return Number(rows[0].id);
}

/** A linear equation over unknown cells: Σ coefficient · unknown = constant. */
export interface Equation {
  terms: Map<string, number>;
  constant: number;
}

/**
 * The differencing attacker: given every equation an observer can write from what was published (rows, columns,
 * totals, per-track tables, other periods), the unknowns whose value the equations fix, with that value. Gaussian
 * elimination to reduced row echelon form: an unknown is fixed when some row of the reduced system names it alone.
 */
export function derivable(equations: Equation[]): Map<string, number> {
  const names = [...new Set(equations.flatMap((e) => [...e.terms.keys()]))].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const m = equations.map((e) => {
    const row = new Array<number>(names.length + 1).fill(0);
    for (const [n, c] of e.terms) row[index.get(n)!]! += c;
    row[names.length] = e.constant;
    return row;
  });
  const EPS = 1e-9;
  let pivotRow = 0;
  const pivots: number[] = [];
  for (let c = 0; c < names.length && pivotRow < m.length; c++) {
    let best = -1;
    for (let r = pivotRow; r < m.length; r++) if (Math.abs(m[r]![c]!) > EPS && (best < 0 || Math.abs(m[r]![c]!) > Math.abs(m[best]![c]!))) best = r;
    if (best < 0) continue;
    [m[pivotRow], m[best]] = [m[best]!, m[pivotRow]!];
    const p = m[pivotRow]![c]!;
    for (let k = 0; k <= names.length; k++) m[pivotRow]![k]! /= p;
    for (let r = 0; r < m.length; r++) {
      if (r === pivotRow || Math.abs(m[r]![c]!) < EPS) continue;
      const f = m[r]![c]!;
      for (let k = 0; k <= names.length; k++) m[r]![k]! -= f * m[pivotRow]![k]!;
    }
    pivots.push(c);
    pivotRow++;
  }
  const fixed = new Map<string, number>();
  for (let r = 0; r < pivots.length; r++) {
    const row = m[r]!;
    const others = row.slice(0, names.length).filter((v, k) => k !== pivots[r] && Math.abs(v) > EPS).length;
    if (others === 0) fixed.set(names[pivots[r]!]!, Math.round(row[names.length]! * 1e6) / 1e6);
  }
  return fixed;
}

/** Equations of a grid with its totals (last row, last column): each line's cells add up to its total. */
export function gridEquations(cell: (i: number, j: number) => number | string, rows: number, cols: number, name: (i: number, j: number) => string): Equation[] {
  const out: Equation[] = [];
  const line = (cells: [number, number][], total: [number, number]) => {
    const e: Equation = { terms: new Map(), constant: 0 };
    const put = ([i, j]: [number, number], sign: number) => {
      const v = cell(i, j);
      if (typeof v === 'number') e.constant -= sign * v;
      else e.terms.set(name(i, j), (e.terms.get(name(i, j)) ?? 0) + sign);
    };
    cells.forEach((c) => put(c, 1));
    put(total, -1);
    out.push(e);
  };
  for (let i = 0; i < rows; i++) line(Array.from({ length: cols - 1 }, (_, j) => [i, j] as [number, number]), [i, cols - 1]);
  for (let j = 0; j < cols; j++) line(Array.from({ length: rows - 1 }, (_, i) => [i, j] as [number, number]), [rows - 1, j]);
  return out;
}
