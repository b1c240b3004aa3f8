// The placement test against a real libSQL database: drawn from the Básico bank, graded on the server, and when
// passed it meets the Básico requirement of Actualización without an enrolment in Básico or any certificate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { certificates, enrolments, placementAttempts } from '../../db/schema.ts';
import { checkEnrolment, enrol, learningRecordFrom } from '../../src/server/learning/enrolment.ts';
import { PLACEMENT_ATTEMPTS, placementState, startPlacement, submitPlacement } from '../../src/server/learning/placement.ts';
import { SUBMIT_GRACE_MS } from '../../src/server/learning/quiz/attempts.ts';
import { paperOf, type Paper } from '../../src/server/learning/quiz/paper.ts';
import type { FormAnswers } from '../../src/server/learning/quiz/form.ts';
import type { QuestionBank } from '../../src/server/learning/catalog.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';
import { takeCourse } from './helpers/reports.ts';

const { course: basico, bank } = fixtureCourse('fx-basico');
const { course: refresher } = fixtureCourse('fx-actualizacion');
const MIN = 60_000;

/** The form a person who knows (or does not know) every answer would post, by position on the paper. */
function answers(paper: Paper, questions: QuestionBank, right: boolean): FormAnswers {
  const form: FormAnswers = {};
  paper.questions.forEach((entry, i) => {
    const q = questions.questions.find((x) => x.id === entry.id)!;
    const name = `q${i}`;
    const pos = (id: string) => String(entry.options!.indexOf(id));
    const key = Array.isArray(q.answer) ? q.answer : [];
    if (q.type === 'single') form[name] = [pos(right ? key[0]! : q.options!.find((o) => o.id !== key[0])!.id)];
    else if (q.type === 'multiple') form[name] = (right ? key : q.options!.filter((o) => !key.includes(o.id)).map((o) => o.id)).map(pos);
    else if (q.type === 'truefalse') form[name] = [String(right ? q.answer : !q.answer)];
    else if (q.type === 'ordering') entry.options!.forEach((id, k) => (form[`${name}.${k}`] = [String(right ? q.options!.findIndex((o) => o.id === id) + 1 : 0)]));
    else if (q.type === 'matching') entry.options!.forEach((id, k) => (form[`${name}.${k}`] = [String(entry.rights!.indexOf(right ? id : entry.rights!.find((r) => r !== id)!))]));
  });
  return form;
}

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe('the enrolment rules with a passed placement (pure)', () => {
  const official = { role: 'learner' as const, specialistStatus: 'none' as const, active: true };
  const placed = learningRecordFrom([], [basico.id]);
  it('meet the Básico rule and a prerequisite naming that Básico course, and nothing else', () => {
    expect(checkEnrolment(official, refresher, learningRecordFrom([])).allowed).toBe(false);
    expect(checkEnrolment(official, refresher, placed)).toEqual({ allowed: true });
    // Especializado still needs the specialised-unit membership; other prerequisites are not met by it.
    expect(checkEnrolment(official, { programme: 'especializado', prerequisites: [basico.id] }, placed)).toEqual({ allowed: false, reasons: [{ code: 'needsSpecialist', status: 'none' }] });
    expect(checkEnrolment(official, { programme: 'actualizacion', prerequisites: ['otro-curso'] }, placed)).toEqual({ allowed: false, reasons: [{ code: 'prerequisite', courseId: 'otro-curso' }] });
    expect(placed.completedCourses.has(basico.id)).toBe(false);
  });
});

describe('the placement test', () => {
  it('draws from the Básico bank and, once passed, opens Actualización without enrolling in Básico or issuing a certificate', async () => {
    const person = await createPerson(t.db);
    expect(await enrol(t.db, person, refresher)).toMatchObject({ ok: false, error: 'locked' });

    const started = await startPlacement(t.db, { actor: person, basico, bank });
    if (!started.ok) throw new Error(started.error);
    const paper = paperOf(started.attempt);
    expect(paper.questions).toHaveLength(basico.quiz.draw);
    for (const entry of paper.questions) expect(bank.questions.map((q) => q.id)).toContain(entry.id);
    expect(started.attempt.deadlineAt!.getTime() - started.attempt.startedAt.getTime()).toBe(basico.quiz.timeLimitMinutes! * MIN);

    const submitted = await submitPlacement(t.db, { userId: person.id, attemptId: started.attempt.id, basico, bank, answers: answers(paper, bank, true) });
    expect(submitted).toMatchObject({ ok: true, outcome: { passed: true, percent: 100, late: false } });

    expect((await enrol(t.db, person, refresher)).ok).toBe(true);
    const rows = await t.db.select().from(enrolments).where(eq(enrolments.userId, person.id));
    expect(rows.map((r) => r.courseId)).toEqual([refresher.id]);
    expect(await t.db.select().from(certificates).where(eq(certificates.userId, person.id))).toEqual([]);
    expect((await placementState(t.db, person)).refusal).toBe('alreadyPassed');
  });

  it('keeps the graded answers, resumes an open paper instead of drawing another, and answers a second submission with the stored result', async () => {
    const person = await createPerson(t.db);
    const first = await startPlacement(t.db, { actor: person, basico, bank });
    const again = await startPlacement(t.db, { actor: person, basico, bank });
    if (!first.ok || !again.ok) throw new Error('start refused');
    expect(again).toMatchObject({ resumed: true, attempt: { id: first.attempt.id } });

    const form = answers(paperOf(first.attempt), bank, false);
    const once = await submitPlacement(t.db, { userId: person.id, attemptId: first.attempt.id, basico, bank, answers: form });
    const twice = await submitPlacement(t.db, { userId: person.id, attemptId: first.attempt.id, basico, bank, answers: answers(paperOf(first.attempt), bank, true) });
    expect(once).toMatchObject({ ok: true, outcome: { passed: false } });
    expect(twice).toEqual(once);
    const [row] = await t.db.select().from(placementAttempts).where(eq(placementAttempts.id, first.attempt.id));
    expect((row!.responses as unknown[]).length).toBe(basico.quiz.draw);
    expect((await enrol(t.db, person, refresher)).ok).toBe(false);
  });

  it(`allows ${PLACEMENT_ATTEMPTS} papers, then sends the person to Básico`, async () => {
    const person = await createPerson(t.db);
    for (let i = 0; i < PLACEMENT_ATTEMPTS; i++) {
      const started = await startPlacement(t.db, { actor: person, basico, bank });
      if (!started.ok) throw new Error(started.error);
      await submitPlacement(t.db, { userId: person.id, attemptId: started.attempt.id, basico, bank, answers: answers(paperOf(started.attempt), bank, false) });
    }
    expect(await startPlacement(t.db, { actor: person, basico, bank })).toEqual({ ok: false, error: 'noAttemptsLeft' });
  });

  it('counts nothing submitted after the deadline and its grace', async () => {
    const person = await createPerson(t.db);
    const now = new Date('2026-06-01T10:00:00Z');
    const started = await startPlacement(t.db, { actor: person, basico, bank, now });
    if (!started.ok) throw new Error(started.error);
    const late = new Date(started.attempt.deadlineAt!.getTime() + SUBMIT_GRACE_MS + 1000);
    const result = await submitPlacement(t.db, { userId: person.id, attemptId: started.attempt.id, basico, bank, answers: answers(paperOf(started.attempt), bank, true), now: late });
    expect(result).toMatchObject({ ok: true, outcome: { score: 0, passed: false, late: true } });
    expect((await enrol(t.db, person, refresher)).ok).toBe(false);
  });

  it('is for officials without Básico: journalists, observers and Básico holders are refused, and nobody submits another person’s paper', async () => {
    const journalist = await createPerson(t.db, { role: 'journalist' });
    const observer = await createPerson(t.db, { role: 'observer' });
    expect(await startPlacement(t.db, { actor: journalist, basico, bank })).toEqual({ ok: false, error: 'notAllowed' });
    expect(await startPlacement(t.db, { actor: observer, basico, bank })).toEqual({ ok: false, error: 'notAllowed' });

    const holder = await createPerson(t.db);
    const NOW = Date.now();
    await takeCourse(t.db, { userId: holder.id, countryCode: holder.countryCode!, institutionId: holder.institutionId!, courseId: basico.id, programme: 'basico', enrolledAt: NOW - 20 * 86_400_000, startedAt: NOW - 20 * 86_400_000, completedAt: NOW - 10 * 86_400_000 });
    expect(await startPlacement(t.db, { actor: holder, basico, bank })).toEqual({ ok: false, error: 'hasBasico' });

    const owner = await createPerson(t.db);
    const other = await createPerson(t.db);
    const started = await startPlacement(t.db, { actor: owner, basico, bank });
    if (!started.ok) throw new Error(started.error);
    expect(await submitPlacement(t.db, { userId: other.id, attemptId: started.attempt.id, basico, bank, answers: answers(paperOf(started.attempt), bank, true) })).toEqual({ ok: false, error: 'notFound' });
  });

  it('refuses to draw a paper from a course that is not Básico', async () => {
    const person = await createPerson(t.db);
    await expect(startPlacement(t.db, { actor: person, basico: refresher, bank })).rejects.toThrow(/Básico/);
  });
});
