import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, ne } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import type { Database } from '../../db/client.ts';
import * as schema from '../../db/schema.ts';
import { auditLog, certificates, institutions, quizAttempts, quizResponses, quizTimeExtensions } from '../../db/schema.ts';
import { enrol } from '../../src/server/learning/enrolment.ts';
import { markLessonDone } from '../../src/server/learning/progress.ts';
import { drawPaper, type Paper, type PaperEntry } from '../../src/server/learning/quiz/paper.ts';
import { gradeQuestion, isPass } from '../../src/server/learning/quiz/grading.ts';
import { presentPaper, responseFromForm, type FormAnswers } from '../../src/server/learning/quiz/form.ts';
import { closeExpiredAttempts, quizState, loadQuizState, loadSavedAnswers, saveAnswers, startAttempt, submitAttempt, SUBMIT_GRACE_MS } from '../../src/server/learning/quiz/attempts.ts';
import { keyShown, reviewAttempt } from '../../src/server/learning/quiz/review.ts';
import { describeResponse } from '../../src/server/learning/quiz/describe.ts';
import { grantExtraTime } from '../../src/server/learning/quiz/extra-time.ts';
import type { Question, QuestionBank } from '../../src/server/learning/catalog.ts';
import { exportPersonalData } from '../../src/server/privacy.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

const { course, bank } = fixtureCourse('fx-basico');
const q = (id: string) => bank.questions.find((x) => x.id === id)!;
const MIN = 60_000;

/** Fills a form the way a learner who knows the answers would, from the paper (what the test, not the browser, knows). */
function answerForm(paper: Paper, questions: QuestionBank, right: boolean): FormAnswers {
  const form: FormAnswers = {};
  paper.questions.forEach((entry, i) => {
    const question = questions.questions.find((x) => x.id === entry.id)!;
    const name = `q${i}`;
    const pos = (id: string) => String(entry.options!.indexOf(id));
    switch (question.type) {
      case 'single': {
        const answer = (question.answer as string[])[0]!;
        form[name] = [pos(right ? answer : question.options!.find((o) => o.id !== answer)!.id)];
        break;
      }
      case 'multiple':
        form[name] = right ? (question.answer as string[]).map(pos) : question.options!.filter((o) => !(question.answer as string[]).includes(o.id)).map((o) => pos(o.id));
        break;
      case 'truefalse':
        form[name] = [String(right ? question.answer : !question.answer)];
        break;
      case 'ordering':
        entry.options!.forEach((id, k) => {
          const correct = question.options!.findIndex((o) => o.id === id) + 1;
          form[`${name}.${k}`] = [String(right ? correct : (correct % question.options!.length) + 1)];
        });
        break;
      case 'matching':
        entry.options!.forEach((id, k) => {
          const target = right ? id : entry.rights!.find((r) => r !== id)!;
          form[`${name}.${k}`] = [String(entry.rights!.indexOf(target))];
        });
        break;
    }
  });
  return form;
}

describe('grading (pure)', () => {
  const identity = (question: Question): PaperEntry => ({ id: question.id, options: (question.options ?? question.pairs ?? []).map((o) => o.id), rights: question.pairs?.map((p) => p.id) });

  it('grades single choice all-or-nothing', () => {
    expect(gradeQuestion(q('fx-q1'), { type: 'single', choice: 'a' })).toEqual({ score: 1, correct: true });
    expect(gradeQuestion(q('fx-q1'), { type: 'single', choice: 'b' })).toEqual({ score: 0, correct: false });
    expect(gradeQuestion(q('fx-q1'), { type: 'single', choice: null })).toEqual({ score: 0, correct: false });
  });
  it('grades multiple choice with partial credit (right − wrong) / right, floored at 0', () => {
    expect(gradeQuestion(q('fx-q2'), { type: 'multiple', choices: ['a', 'b'] })).toEqual({ score: 1, correct: true });
    expect(gradeQuestion(q('fx-q2'), { type: 'multiple', choices: ['a'] })).toEqual({ score: 0.5, correct: false });
    expect(gradeQuestion(q('fx-q2'), { type: 'multiple', choices: ['a', 'b', 'c'] })).toEqual({ score: 0.5, correct: false });
    expect(gradeQuestion(q('fx-q2'), { type: 'multiple', choices: ['a', 'c', 'd'] })).toEqual({ score: 0, correct: false });
    expect(gradeQuestion(q('fx-q2'), { type: 'multiple', choices: ['a', 'b', 'c', 'd'] })).toEqual({ score: 0, correct: false });
    expect(gradeQuestion(q('fx-q2'), { type: 'multiple', choices: [] })).toEqual({ score: 0, correct: false });
  });
  it('grades true/false', () => {
    expect(gradeQuestion(q('fx-q3'), { type: 'truefalse', value: true })).toEqual({ score: 1, correct: true });
    expect(gradeQuestion(q('fx-q3'), { type: 'truefalse', value: false })).toEqual({ score: 0, correct: false });
    expect(gradeQuestion(q('fx-q3'), { type: 'truefalse', value: null })).toEqual({ score: 0, correct: false });
  });
  it('grades ordering by the share of items in their right place', () => {
    expect(gradeQuestion(q('fx-q4'), { type: 'ordering', positions: { a: 1, b: 2, c: 3 } })).toEqual({ score: 1, correct: true });
    expect(gradeQuestion(q('fx-q4'), { type: 'ordering', positions: { a: 1, b: 3, c: 2 } })).toEqual({ score: 1 / 3, correct: false });
    expect(gradeQuestion(q('fx-q4'), { type: 'ordering', positions: { a: 1, b: 1, c: null } })).toEqual({ score: 1 / 3, correct: false });
  });
  it('grades matching by the share of right pairs', () => {
    expect(gradeQuestion(q('fx-q5'), { type: 'matching', matches: { p1: 'p1', p2: 'p2' } })).toEqual({ score: 1, correct: true });
    expect(gradeQuestion(q('fx-q5'), { type: 'matching', matches: { p1: 'p1', p2: null } })).toEqual({ score: 0.5, correct: false });
    expect(gradeQuestion(q('fx-q5'), { type: 'matching', matches: { p1: 'p2', p2: 'p1' } })).toEqual({ score: 0, correct: false });
  });
  it('maps posted positions back to ids and ignores junk', () => {
    const entry: PaperEntry = { id: 'fx-q1', options: ['c', 'a', 'b'] };
    expect(responseFromForm(q('fx-q1'), entry, 'q0', { q0: ['1'] })).toEqual({ type: 'single', choice: 'a' });
    expect(responseFromForm(q('fx-q1'), entry, 'q0', { q0: ['9'] })).toEqual({ type: 'single', choice: null });
    expect(responseFromForm(q('fx-q1'), entry, 'q0', { q0: ['a'] })).toEqual({ type: 'single', choice: null });
    expect(responseFromForm(q('fx-q4'), identity(q('fx-q4')), 'q0', { 'q0.0': ['1'], 'q0.1': ['7'], 'q0.2': ['x'] })).toEqual({ type: 'ordering', positions: { a: 1, b: null, c: null } });
  });
  it('applies the pass mark without float surprises', () => {
    expect(isPass(12, 15, 80)).toBe(true);
    expect(isPass(11.9, 15, 80)).toBe(false);
    expect(isPass(0, 0, 80)).toBe(false);
  });
});

describe('drawing and presenting', () => {
  it('draws N distinct questions and keeps every option', () => {
    const paper = drawPaper(bank.questions, 4);
    expect(paper.questions).toHaveLength(4);
    expect(new Set(paper.questions.map((e) => e.id)).size).toBe(4);
    for (const e of paper.questions) {
      const question = q(e.id);
      if (question.options) expect([...e.options!].sort()).toEqual(question.options.map((o) => o.id).sort());
    }
    expect(drawPaper(bank.questions, 99).questions).toHaveLength(bank.questions.length);
  });
  it('shuffles options over many draws', () => {
    const firsts = new Set(Array.from({ length: 60 }, () => drawPaper([q('fx-q2')], 1).questions[0]!.options![0]));
    expect(firsts.size).toBeGreaterThan(1);
  });
  it('presents questions with no answer, explanation or option id', () => {
    const paper = drawPaper(bank.questions, 5);
    const presented = presentPaper({ paper } as never, bank, 'es');
    const json = JSON.stringify(presented);
    expect(json).not.toMatch(/"answer"|"explanation"|"pairs"|"id"/);
    for (const question of bank.questions) expect(json).not.toContain(question.explanation.es);
  });
});

describe('attempts (database)', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  async function enrolled() {
    const learner = await createPerson(t.db);
    const result = await enrol(t.db, learner, course);
    if (!result.ok) throw new Error('enrol failed');
    return { learner, enrolmentId: result.enrolmentId };
  }

  it('refuses to start without an enrolment', async () => {
    const stranger = await createPerson(t.db);
    expect(await startAttempt(t.db, { userId: stranger.id, course, bank })).toEqual({ ok: false, error: 'notEnrolled' });
  });

  it('resumes the open attempt, enforces cooldown and the attempt limit', async () => {
    const { learner } = await enrolled();
    const now = new Date('2026-06-01T10:00:00Z');
    const a1 = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    if (!a1.ok) throw new Error('start failed');
    expect(a1.attempt.deadlineAt!.getTime() - now.getTime()).toBe(30 * MIN);
    const again = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    expect(again).toMatchObject({ ok: true, resumed: true, attempt: { id: a1.attempt.id } });
    const failed = await submitAttempt(t.db, { userId: learner.id, attemptId: a1.attempt.id, course, bank, answers: answerForm(a1.attempt.paper as Paper, bank, false), now: new Date(now.getTime() + 5 * MIN) });
    expect(failed).toMatchObject({ ok: true, outcome: { passed: false, score: 0 } });
    // Cooldown: 10 minutes after the submission.
    const early = await startAttempt(t.db, { userId: learner.id, course, bank, now: new Date(now.getTime() + 14 * MIN) });
    expect(early).toEqual({ ok: false, error: 'coolingDown', until: new Date(now.getTime() + 15 * MIN) });
    const a2 = await startAttempt(t.db, { userId: learner.id, course, bank, now: new Date(now.getTime() + 15 * MIN) });
    expect(a2.ok).toBe(true);
    if (!a2.ok) return;
    await submitAttempt(t.db, { userId: learner.id, attemptId: a2.attempt.id, course, bank, answers: {}, now: new Date(now.getTime() + 16 * MIN) });
    const third = await startAttempt(t.db, { userId: learner.id, course, bank, now: new Date(now.getTime() + 60 * MIN) });
    expect(third).toEqual({ ok: false, error: 'noAttemptsLeft', used: 2, limit: 2 });
  });

  it('stores every response and answers a double submission with the stored result', async () => {
    const { learner } = await enrolled();
    const start = await startAttempt(t.db, { userId: learner.id, course, bank });
    if (!start.ok) throw new Error('start failed');
    const paper = start.attempt.paper as Paper;
    const answers = answerForm(paper, bank, true);
    const [first, second] = await Promise.all([
      submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course, bank, answers }),
      submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course, bank, answers: {} }),
    ]);
    const outcomes = [first, second].map((r) => (r.ok ? r.outcome : null));
    expect(outcomes.filter((o) => o?.repeated === false)).toHaveLength(1);
    for (const o of outcomes) expect(o).toMatchObject({ passed: true, score: 4, maxScore: 4, percent: 100 });
    const responses = await t.db.select().from(quizResponses).where(eq(quizResponses.attemptId, start.attempt.id));
    expect(responses.map((r) => r.questionId).sort()).toEqual(paper.questions.map((e) => e.id).sort());
    expect(responses.every((r) => r.correct)).toBe(true);
    // Someone else's attempt is not found.
    const other = await createPerson(t.db);
    expect(await submitAttempt(t.db, { userId: other.id, attemptId: start.attempt.id, course, bank, answers })).toEqual({ ok: false, error: 'notFound' });
    // Passed: no more attempts.
    expect(await startAttempt(t.db, { userId: learner.id, course, bank })).toEqual({ ok: false, error: 'alreadyPassed' });
  });

  it('refuses a submission after the deadline and closes the attempt at the deadline', async () => {
    const { learner } = await enrolled();
    const now = new Date('2026-06-01T10:00:00Z');
    const start = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    if (!start.ok) throw new Error('start failed');
    const answers = answerForm(start.attempt.paper as Paper, bank, true);
    const lateAt = new Date(start.attempt.deadlineAt!.getTime() + SUBMIT_GRACE_MS + 1);
    const late = await submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course, bank, answers, now: lateAt });
    expect(late).toMatchObject({ ok: true, outcome: { late: true, passed: false, score: 0 } });
    const [row] = await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, start.attempt.id));
    expect(row!.submittedAt).toEqual(start.attempt.deadlineAt);
    // Within the grace period a submission counts.
    const state = await quizState(t.db, learner.id, course, bank, new Date(lateAt.getTime() + 20 * MIN));
    expect(state.refusal).toBeNull();
    const s2 = await startAttempt(t.db, { userId: learner.id, course, bank, now: new Date(lateAt.getTime() + 20 * MIN) });
    if (!s2.ok) throw new Error('start failed');
    const inGrace = new Date(s2.attempt.deadlineAt!.getTime() + SUBMIT_GRACE_MS - 1);
    expect(await submitAttempt(t.db, { userId: learner.id, attemptId: s2.attempt.id, course, bank, answers: answerForm(s2.attempt.paper as Paper, bank, true), now: inGrace })).toMatchObject({ ok: true, outcome: { late: false, passed: true } });
  });

  it('closes an abandoned attempt at its deadline so it counts as used', async () => {
    const { learner } = await enrolled();
    const now = new Date('2026-06-01T10:00:00Z');
    const start = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    if (!start.ok) throw new Error('start failed');
    const state = await quizState(t.db, learner.id, course, bank, new Date(now.getTime() + 3 * 60 * MIN));
    expect(state.open).toBeNull();
    expect(state.used).toBe(1);
  });

  it('loadQuizState only reads: an attempt past its deadline shows as timed out until a POST or the sweep closes it', async () => {
    const { learner } = await enrolled();
    const now = new Date('2026-06-01T10:00:00Z');
    const start = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    if (!start.ok) throw new Error('start failed');
    const inTime = await loadQuizState(t.db, learner.id, course, bank, new Date(now.getTime() + MIN));
    expect(inTime.open?.id).toBe(start.attempt.id);
    const late = await loadQuizState(t.db, learner.id, course, bank, new Date(now.getTime() + 3 * 60 * MIN));
    expect(late.open).toBeNull();
    expect(late.timedOut?.id).toBe(start.attempt.id);
    expect(late.used).toBe(1);
    // A page view wrote nothing.
    const [still] = await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, start.attempt.id));
    expect(still!.submittedAt).toBeNull();
    // The sweep closes it at the deadline, with a response per question.
    expect(await closeExpiredAttempts(t.db, async () => ({ course, bank }), new Date(now.getTime() + 3 * 60 * MIN))).toBeGreaterThanOrEqual(1);
    const [row] = await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, start.attempt.id));
    expect(row).toMatchObject({ submittedAt: start.attempt.deadlineAt, score: 0, passed: false, late: true });
    expect((await t.db.select().from(quizResponses).where(eq(quizResponses.attemptId, start.attempt.id))).length).toBe((start.attempt.paper as Paper).questions.length);
  });

  it('completes the course and issues the certificate in either order', async () => {
    // Lessons first, quiz last.
    const a = await enrolled();
    for (const lesson of course.lessons) await markLessonDone(t.db, { userId: a.learner.id, course, lesson });
    const sa = await startAttempt(t.db, { userId: a.learner.id, course, bank });
    if (!sa.ok) throw new Error('start failed');
    const ra = await submitAttempt(t.db, { userId: a.learner.id, attemptId: sa.attempt.id, course, bank, answers: answerForm(sa.attempt.paper as Paper, bank, true) });
    expect(ra).toMatchObject({ ok: true, outcome: { completion: { completed: true, newlyCompleted: true } } });
    expect(await t.db.select().from(certificates).where(eq(certificates.userId, a.learner.id))).toHaveLength(1);

    // Quiz first, last lesson last.
    const b = await enrolled();
    const sb = await startAttempt(t.db, { userId: b.learner.id, course, bank });
    if (!sb.ok) throw new Error('start failed');
    const rb = await submitAttempt(t.db, { userId: b.learner.id, attemptId: sb.attempt.id, course, bank, answers: answerForm(sb.attempt.paper as Paper, bank, true) });
    expect(rb).toMatchObject({ ok: true, outcome: { completion: { completed: false } } });
    expect(await markLessonDone(t.db, { userId: b.learner.id, course, lesson: 'uno' })).toMatchObject({ ok: true, completion: { completed: false } });
    const last = await markLessonDone(t.db, { userId: b.learner.id, course, lesson: 'dos' });
    expect(last).toMatchObject({ ok: true, completion: { completed: true, newlyCompleted: true } });
    // Marking again does not issue a second certificate.
    expect(await markLessonDone(t.db, { userId: b.learner.id, course, lesson: 'dos' })).toMatchObject({ ok: true, completion: { completed: true, newlyCompleted: false } });
    expect(await t.db.select().from(certificates).where(eq(certificates.userId, b.learner.id))).toHaveLength(1);
  });

  it('waits for required activities through the hook', async () => {
    const { learner } = await enrolled();
    const notYet = await markLessonDone(t.db, { userId: learner.id, course, lesson: 'uno', requiredActivities: ['act-1'], activitiesDone: async () => false });
    expect(notYet).toEqual({ ok: false, error: 'activitiesPending' });
    expect(await markLessonDone(t.db, { userId: learner.id, course, lesson: 'nope' })).toEqual({ ok: false, error: 'unknownLesson' });
  });
});

describe('answers saved as the learner goes', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());
  const now = new Date('2026-06-01T10:00:00Z');
  const at = (minutes: number) => new Date(now.getTime() + minutes * MIN);

  async function started() {
    const learner = await createPerson(t.db);
    if (!(await enrol(t.db, learner, course)).ok) throw new Error('enrol failed');
    const start = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    if (!start.ok) throw new Error('start failed');
    return { learner, attempt: start.attempt, paper: start.attempt.paper as Paper };
  }
  const only = (answers: FormAnswers, i: number): FormAnswers => Object.fromEntries(Object.entries(answers).filter(([k]) => k === `q${i}` || k.startsWith(`q${i}.`)));

  it('saves each question, keeps the newest save whatever order saves arrive in, and shows them on reopening', async () => {
    const { learner, attempt, paper } = await started();
    const right = answerForm(paper, bank, true);
    const wrong = answerForm(paper, bank, false);
    const save = (answers: FormAnswers, i: number, seq: number) => saveAnswers(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: only(answers, i), questions: [i], seq, now: at(1) });
    for (let i = 0; i < paper.questions.length; i++) expect(await save(right, i, 2_000)).toMatchObject({ ok: true, saved: 1 });
    // An older save of question 0 arrives late; a repeat of the newest changes nothing.
    await save(wrong, 0, 1_000);
    await save(right, 0, 2_000);
    const saved = await loadSavedAnswers(t.db, attempt.id);
    expect(saved.questions).toHaveLength(paper.questions.length);
    for (let i = 0; i < paper.questions.length; i++) expect(saved.questions[i]).toEqual(only(right, i));
    expect(saved.savedAt).toEqual(at(1));
    // A newer save wins.
    await save(wrong, 0, 3_000);
    expect((await loadSavedAnswers(t.db, attempt.id)).questions[0]).toEqual(only(wrong, 0));
  });

  it('saves only the fields a question has, and only for the owner of an open attempt', async () => {
    const { learner, attempt } = await started();
    const junk = { q0: ['0', '<script>'], q0x: ['1'], 'q0.99': ['1'], q99: ['1'], course: ['fx-basico'] };
    await saveAnswers(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: junk, now: at(1) });
    const saved = await loadSavedAnswers(t.db, attempt.id);
    expect(JSON.stringify(saved.questions)).not.toContain('script');
    expect(JSON.stringify(saved.questions)).not.toContain('q99');
    const other = await createPerson(t.db);
    expect(await saveAnswers(t.db, { userId: other.id, attemptId: attempt.id, course, bank, answers: { q0: ['0'] }, now: at(1) })).toEqual({ ok: false, error: 'notFound' });
    expect(await saveAnswers(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: { q0: ['0'] }, now: at(31) })).toEqual({ ok: false, error: 'timeUp' });
    await submitAttempt(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: {}, now: at(2) });
    expect(await saveAnswers(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: { q0: ['0'] }, now: at(3) })).toEqual({ ok: false, error: 'submitted' });
  });

  it('grades a submission on the saved answers where the submitted page has none', async () => {
    const { learner, attempt, paper } = await started();
    const right = answerForm(paper, bank, true);
    await saveAnswers(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: right, now: at(1) });
    // The page submitted from another device holds only question 0 (and empty selects elsewhere).
    const result = await submitAttempt(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: only(right, 0), now: at(2) });
    expect(result).toMatchObject({ ok: true, outcome: { passed: true, late: false, percent: 100 } });
  });

  it('grades a timed-out attempt on the answers saved by the deadline, never 0 for answers the server holds', async () => {
    const { learner, attempt, paper } = await started();
    const right = answerForm(paper, bank, true);
    await saveAnswers(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: right, now: at(20) });
    // The learner's late submission carries wrong answers: they do not count, the saved ones do.
    const late = await submitAttempt(t.db, { userId: learner.id, attemptId: attempt.id, course, bank, answers: answerForm(paper, bank, false), now: at(45) });
    expect(late).toMatchObject({ ok: true, outcome: { late: true, passed: true, percent: 100 } });
    const [row] = await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, attempt.id));
    expect(row).toMatchObject({ late: true, passed: true, submittedAt: attempt.deadlineAt });
    // And by the sweep, for an attempt nobody came back to.
    const second = await started();
    await saveAnswers(t.db, { userId: second.learner.id, attemptId: second.attempt.id, course, bank, answers: answerForm(second.paper, bank, true), now: at(5) });
    await closeExpiredAttempts(t.db, async () => ({ course, bank }), at(45));
    const [swept] = await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, second.attempt.id));
    expect(swept).toMatchObject({ late: true, passed: true, score: 4 });
  });
});

describe('the review shows the key only when the course allows it', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());
  const words = { true: 'Verdadero', false: 'Falso', unanswered: '(sin respuesta)' };

  it('decides by policy, and never while an attempt is open', () => {
    const after = (passed: boolean, used: number, open = false) => ({ passed, used, limit: 3, open });
    expect(keyShown('full', after(false, 1))).toBe(true);
    expect(keyShown('full', after(false, 1, true))).toBe(false);
    expect(keyShown('correctness', after(true, 3))).toBe(false);
    expect(keyShown('after-pass', after(false, 3))).toBe(false);
    expect(keyShown('after-pass', after(true, 1))).toBe(true);
    expect(keyShown('after-last-attempt', after(false, 2))).toBe(false);
    expect(keyShown('after-last-attempt', after(false, 3))).toBe(true);
    expect(keyShown('after-last-attempt', after(true, 1))).toBe(true);
    expect(keyShown('after-last-attempt', { passed: false, used: 9, limit: 0, open: false })).toBe(false);
  });

  it('after a failed first attempt says which questions were wrong, with the learner’s answer and no key', async () => {
    const learner = await createPerson(t.db);
    if (!(await enrol(t.db, learner, course)).ok) throw new Error('enrol failed');
    const start = await startAttempt(t.db, { userId: learner.id, course, bank });
    if (!start.ok) throw new Error('start failed');
    const paper = start.attempt.paper as Paper;
    await submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course, bank, answers: answerForm(paper, bank, false) });
    const review = await reviewAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course, bank, locale: 'es', words });
    expect(review).toMatchObject({ keyShown: false, keyHiddenBecause: 'after-last-attempt' });
    for (const question of review!.questions) {
      expect(question.correct).toBe(false);
      expect(question.key).toBeNull();
      expect(question.given.length).toBeGreaterThan(0);
    }
    const json = JSON.stringify(review!.questions);
    for (const question of bank.questions) expect(json).not.toContain(question.explanation.es);
    // The same attempt under `full` shows the key in words.
    const full = await reviewAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course: { ...course, quiz: { ...course.quiz, review: 'full' } }, bank, locale: 'es', words });
    const single = full!.questions.find((x) => x.type === 'single');
    if (single) expect(single.key?.expected).toEqual(['Sí']);
    expect(full!.questions.every((x) => x.key !== null && x.key.explanation.length > 0)).toBe(true);
  });

  it('shows the key once the last attempt is used', async () => {
    const learner = await createPerson(t.db);
    if (!(await enrol(t.db, learner, course)).ok) throw new Error('enrol failed');
    const noCooldown = { ...course, quiz: { ...course.quiz, cooldownMinutes: 0 } };
    let last = 0;
    for (let n = 0; n < course.quiz.attempts; n++) {
      const start = await startAttempt(t.db, { userId: learner.id, course: noCooldown, bank });
      if (!start.ok) throw new Error(`start failed: ${start.error}`);
      await submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course: noCooldown, bank, answers: {} });
      last = start.attempt.id;
    }
    const review = await reviewAttempt(t.db, { userId: learner.id, attemptId: last, course: noCooldown, bank, locale: 'en', words: { true: 'True', false: 'False', unanswered: '(no answer)' } });
    expect(review!.keyShown).toBe(true);
    expect(review!.questions.every((x) => x.key !== null && x.key.expected.length > 0)).toBe(true);
    for (const x of review!.questions.filter((x) => x.type === 'single' || x.type === 'truefalse')) expect(x.given).toEqual(['(no answer)']);
  });

  it('describes a response in the caller’s words', () => {
    expect(describeResponse(q('fx-q3'), { type: 'truefalse', value: true }, 'es', words)).toEqual(['Verdadero']);
    expect(describeResponse(q('fx-q3'), { type: 'truefalse', value: null }, 'es', words)).toEqual(['(sin respuesta)']);
    expect(describeResponse(q('fx-q1'), { type: 'single', choice: 'b' }, 'en', words)).toEqual(['No']);
  });
});

describe('extra time', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  it('is granted by the person’s committee (audited), and the deadline of the open and later attempts follows it', async () => {
    const learner = await createPerson(t.db);
    const committee = await createPerson(t.db, { role: 'committee' });
    if (!(await enrol(t.db, learner, course)).ok) throw new Error('enrol failed');
    const now = new Date('2026-06-01T10:00:00Z');
    const open = await startAttempt(t.db, { userId: learner.id, course, bank, now });
    if (!open.ok) throw new Error('start failed');
    expect(await grantExtraTime(t.db, committee, { userId: learner.id, course, minutes: 15, now })).toEqual({ ok: true, minutes: 15 });
    const [moved] = await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, open.attempt.id));
    expect(moved!.deadlineAt!.getTime() - now.getTime()).toBe(45 * MIN);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'learning.quiz.extraTime'));
    expect(audit).toMatchObject({ actorId: committee.id, targetId: String(learner.id) });
    await submitAttempt(t.db, { userId: learner.id, attemptId: open.attempt.id, course, bank, answers: {}, now });
    const later = new Date(now.getTime() + 60 * MIN);
    const next = await startAttempt(t.db, { userId: learner.id, course, bank, now: later });
    if (!next.ok) throw new Error('start failed');
    expect(next.attempt.deadlineAt!.getTime() - later.getTime()).toBe(45 * MIN);
  });

  it('is refused to a committee of another country, to learners, and beyond the cap', async () => {
    const learner = await createPerson(t.db);
    const [elsewhere] = await t.db.select().from(institutions).where(ne(institutions.countryCode, learner.countryCode!)).limit(1);
    const foreign = { ...(await createPerson(t.db, { role: 'committee' })), countryCode: elsewhere!.countryCode };
    const peer = await createPerson(t.db);
    const committee = await createPerson(t.db, { role: 'committee' });
    expect(await grantExtraTime(t.db, foreign, { userId: learner.id, course, minutes: 10 })).toEqual({ ok: false, error: 'forbidden' });
    expect(await grantExtraTime(t.db, peer, { userId: learner.id, course, minutes: 10 })).toEqual({ ok: false, error: 'forbidden' });
    expect(await grantExtraTime(t.db, committee, { userId: learner.id, course, minutes: 10_000 })).toEqual({ ok: false, error: 'invalid' });
    expect(await t.db.select().from(quizTimeExtensions).where(eq(quizTimeExtensions.userId, learner.id))).toHaveLength(0);
  });
});

describe('the personal-data download reveals no answers', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  /**
   * An attacker who reads the download: wherever it lists an attempt's paper, authors' order is the key (the right
   * option is written first, ordering items in order, matching pairs share an id), so answer from that alone.
   */
  function answerFromDownload(data: unknown): FormAnswers {
    const form: FormAnswers = {};
    const attempts = (data as { quizAttempts: { paper?: Paper }[] }).quizAttempts;
    const paper = attempts.find((a) => a.paper)?.paper;
    paper?.questions.forEach((entry, i) => {
      const options = entry.options ?? [];
      const sorted = [...options].sort();
      if (entry.rights) options.forEach((id, k) => (form[`q${i}.${k}`] = [String(entry.rights!.indexOf(id))]));
      else if (options.length === 0) form[`q${i}`] = ['true'];
      else {
        form[`q${i}`] = [String(options.indexOf(sorted[0]!))];
        options.forEach((id, k) => (form[`q${i}.${k}`] = [String(sorted.indexOf(id) + 1)]));
      }
    });
    return form;
  }

  it('answering an open attempt from the download alone does not pass, and the download holds no paper or option id', async () => {
    const learner = await createPerson(t.db);
    if (!(await enrol(t.db, learner, course)).ok) throw new Error('enrol failed');
    const start = await startAttempt(t.db, { userId: learner.id, course, bank });
    if (!start.ok) throw new Error('start failed');
    const data = await exportPersonalData(t.db, learner, Date.now(), { locale: 'es', words: { true: 'Verdadero', false: 'Falso', unanswered: '—' }, bankOf: async () => bank });
    const json = JSON.stringify(data);
    expect(json).not.toContain('"paper"');
    expect(json).not.toContain('"options"');
    expect(data.quizAttempts).toEqual([expect.objectContaining({ status: 'open', questions: 4, score: null, answers: [] })]);
    const result = await submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course, bank, answers: answerFromDownload(data) });
    expect(result).toMatchObject({ ok: true, outcome: { passed: false } });
    // After submission: what was answered and scored, in words.
    const after = await exportPersonalData(t.db, learner, Date.now(), { locale: 'es', words: { true: 'Verdadero', false: 'Falso', unanswered: '—' }, bankOf: async () => bank });
    expect(after.quizAttempts[0]).toMatchObject({ status: 'submitted', passed: false, percent: 0 });
    expect(after.quizAttempts[0]!.answers).toHaveLength(4);
  });
});

// Issue 20: against a libSQL server each request to the database is a network round trip, and an interactive
// transaction holds the single writer across all of its statements. Start and submit read once, then write one batch.
describe('round trips of a start and a submission', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  /** The same database, counting the requests a libSQL server would receive; `after(n)` runs once the n-th is answered. */
  function counted(after?: { n: number; run: () => Promise<unknown> }) {
    const calls: string[] = [];
    /** The SQL of each statement run inside the transaction, in order. */
    const inTransaction: string[] = [];
    const answered = async <T>(name: string, result: Promise<T>): Promise<T> => {
      const value = await result;
      calls.push(name);
      if (after && calls.length === after.n) await after.run();
      return value;
    };
    const client = new Proxy(t.db.$client, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'execute' || property === 'batch') return (...args: unknown[]) => answered(String(property), value.apply(target, args));
        if (property === 'transaction') {
          return async (...args: unknown[]) => {
            const tx = await value.apply(target, args);
            // Over HTTP the BEGIN travels with the first statement; each later statement and the COMMIT is a request.
            return new Proxy(tx, {
              get(txTarget, p, r) {
                const v = Reflect.get(txTarget, p, r);
                if (p === 'execute' || p === 'batch' || p === 'commit') {
                  return (...a: unknown[]) => {
                    if (p === 'execute') inTransaction.push(typeof a[0] === 'string' ? a[0] : String((a[0] as { sql: string }).sql));
                    return answered(`tx.${String(p)}`, v.apply(txTarget, a));
                  };
                }
                return typeof v === 'function' ? v.bind(txTarget) : v;
              },
            });
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { db: drizzle(client, { schema }) as unknown as Database, calls, inTransaction };
  }

  async function enrolledLearner() {
    const learner = await createPerson(t.db);
    if (!(await enrol(t.db, learner, course)).ok) throw new Error('enrol failed');
    return learner;
  }

  it('a first start is one batch, its repeat one; a failed and a passed submission one read and one write, with everything recorded', async () => {
    const learner = await enrolledLearner();
    const start = counted();
    const started = await startAttempt(start.db, { userId: learner.id, course, bank });
    if (!started.ok) throw new Error('start failed');
    expect(start.calls).toEqual(['batch']);
    expect(started).toMatchObject({ resumed: false, attempt: { userId: learner.id, courseId: course.id, courseVersion: course.version, submittedAt: null, late: false } });
    expect((started.attempt.paper as Paper).questions).toHaveLength(course.quiz.draw);
    expect(started.attempt.deadlineAt!.getTime() - started.attempt.startedAt.getTime()).toBe(course.quiz.timeLimitMinutes! * MIN);
    const repeat = counted();
    expect(await startAttempt(repeat.db, { userId: learner.id, course, bank })).toMatchObject({ ok: true, resumed: true, attempt: { id: started.attempt.id } });
    expect(repeat.calls).toEqual(['batch']);
    const failing = counted();
    const failed = await submitAttempt(failing.db, { userId: learner.id, attemptId: started.attempt.id, course, bank, answers: answerForm(started.attempt.paper as Paper, bank, false) });
    expect(failed).toMatchObject({ ok: true, outcome: { passed: false, repeated: false, late: false, score: 0, maxScore: 4 } });
    expect(failing.calls).toEqual(['execute', 'batch']);
    expect(await t.db.select().from(quizResponses).where(eq(quizResponses.attemptId, started.attempt.id))).toHaveLength(4);

    // After the cooldown: a retake is decided on the attempts read, then written in a second batch.
    const retake = counted();
    const again = await startAttempt(retake.db, { userId: learner.id, course, bank, now: new Date(Date.now() + 15 * MIN) });
    if (!again.ok) throw new Error('second start failed');
    expect(retake.calls).toEqual(['batch', 'batch']);
    expect(await t.db.select().from(quizAttempts).where(eq(quizAttempts.userId, learner.id))).toHaveLength(2);
    const passing = counted();
    const passed = await submitAttempt(passing.db, { userId: learner.id, attemptId: again.attempt.id, course, bank, answers: answerForm(again.attempt.paper as Paper, bank, true), now: new Date(Date.now() + 16 * MIN) });
    // No lesson done yet: the pass cannot complete the course, so it needs no transaction either.
    expect(passed).toMatchObject({ ok: true, outcome: { passed: true, percent: 100, completion: { completed: false } } });
    expect(passing.calls).toEqual(['execute', 'batch']);
    const [row] = await t.db.select().from(quizAttempts).where(eq(quizAttempts.id, again.attempt.id));
    expect(row).toMatchObject({ passed: true, score: 4, maxScore: 4, late: false });
    expect(row!.submittedAt).not.toBeNull();
  });

  it('a first start with extra time is decided on the reads: two batches, the deadline lengthened', async () => {
    const learner = await enrolledLearner();
    await t.db.insert(quizTimeExtensions).values({ userId: learner.id, courseId: course.id, minutes: 20, grantedBy: learner.id, grantedAt: new Date() });
    const start = counted();
    const started = await startAttempt(start.db, { userId: learner.id, course, bank });
    if (!started.ok) throw new Error('start failed');
    expect(start.calls).toEqual(['batch', 'batch']);
    expect(started.attempt.deadlineAt!.getTime() - started.attempt.startedAt.getTime()).toBe((course.quiz.timeLimitMinutes! + 20) * MIN);
  });

  it('a refused start writes nothing, in one batch', async () => {
    const stranger = await createPerson(t.db);
    const start = counted();
    expect(await startAttempt(start.db, { userId: stranger.id, course, bank })).toEqual({ ok: false, error: 'notEnrolled' });
    expect(start.calls).toEqual(['batch']);
    expect(await t.db.select().from(quizAttempts).where(eq(quizAttempts.userId, stranger.id))).toHaveLength(0);
  });

  it('concurrent starts open one attempt, concurrent submissions record it once', async () => {
    const learner = await enrolledLearner();
    const starts = await Promise.all(Array.from({ length: 5 }, () => startAttempt(t.db, { userId: learner.id, course, bank })));
    const ids = new Set(starts.map((s) => (s.ok ? s.attempt.id : null)));
    expect(ids.size).toBe(1);
    expect(starts.filter((s) => s.ok && !s.resumed)).toHaveLength(1);
    const attempt = starts[0]!.ok ? starts[0]!.attempt : null;
    const answers = answerForm(attempt!.paper as Paper, bank, false);
    const submissions = await Promise.all(Array.from({ length: 5 }, () => submitAttempt(t.db, { userId: learner.id, attemptId: attempt!.id, course, bank, answers })));
    expect(submissions.filter((s) => s.ok && !s.outcome.repeated)).toHaveLength(1);
    expect(await t.db.select().from(quizResponses).where(eq(quizResponses.attemptId, attempt!.id))).toHaveLength(4);
  });

  it('a save that lands between the read and the write of a submission is graded, not lost', async () => {
    const learner = await enrolledLearner();
    const started = await startAttempt(t.db, { userId: learner.id, course, bank });
    if (!started.ok) throw new Error('start failed');
    const right = answerForm(started.attempt.paper as Paper, bank, true);
    // The submitted page is blank; the learner's other tab saves every right answer just after the submission's read.
    const race = counted({ n: 1, run: () => saveAnswers(t.db, { userId: learner.id, attemptId: started.attempt.id, course, bank, answers: right }) });
    const result = await submitAttempt(race.db, { userId: learner.id, attemptId: started.attempt.id, course, bank, answers: {} });
    expect(result).toMatchObject({ ok: true, outcome: { passed: true, percent: 100, repeated: false } });
    expect(race.calls[0]).toBe('execute');
    expect(race.calls.some((c) => c.startsWith('tx.'))).toBe(true);
  });

  it('a lesson done between the read and the write of a passing submission completes the course', async () => {
    const learner = await enrolledLearner();
    await markLessonDone(t.db, { userId: learner.id, course, lesson: course.lessons[0]! });
    const started = await startAttempt(t.db, { userId: learner.id, course, bank });
    if (!started.ok) throw new Error('start failed');
    const race = counted({ n: 1, run: () => markLessonDone(t.db, { userId: learner.id, course, lesson: course.lessons[1]! }) });
    const result = await submitAttempt(race.db, { userId: learner.id, attemptId: started.attempt.id, course, bank, answers: answerForm(started.attempt.paper as Paper, bank, true) });
    expect(result).toMatchObject({ ok: true, outcome: { passed: true, completion: { completed: true, newlyCompleted: true } } });
    expect(await t.db.select().from(certificates).where(eq(certificates.userId, learner.id))).toHaveLength(1);
  });

  it('a pass that completes the course issues the certificate from the enrolment the submission read (issue 19.1)', async () => {
    const learner = await enrolledLearner();
    for (const lesson of course.lessons) await markLessonDone(t.db, { userId: learner.id, course, lesson });
    const started = await startAttempt(t.db, { userId: learner.id, course, bank });
    if (!started.ok) throw new Error('start failed');
    const passing = counted();
    const result = await submitAttempt(passing.db, { userId: learner.id, attemptId: started.attempt.id, course, bank, answers: answerForm(started.attempt.paper as Paper, bank, true) });
    expect(result).toMatchObject({ ok: true, outcome: { passed: true, completion: { completed: true, newlyCompleted: true } } });
    const [issued] = await t.db.select().from(certificates).where(eq(certificates.userId, learner.id));
    expect(issued).toMatchObject({ holderName: learner.name, countryCode: learner.countryCode, courseId: course.id });
    // The completing transaction writes the enrolment and reads its lessons, attempts and certificate, but never the
    // enrolment row again: the submission's read passed it down.
    expect(passing.inTransaction.length).toBeGreaterThan(0);
    expect(passing.inTransaction.filter((s) => /^select\b[\s\S]*\bfrom "enrolments"/i.test(s))).toEqual([]);
  });

  it('a lesson marked done is one read and one write; a pass landing between them still completes the course', async () => {
    const learner = await enrolledLearner();
    const first = counted();
    expect(await markLessonDone(first.db, { userId: learner.id, course, lesson: course.lessons[0]! })).toEqual({ ok: true, completion: { completed: false } });
    expect(first.calls).toEqual(['execute', 'batch']);
    const started = await startAttempt(t.db, { userId: learner.id, course, bank });
    if (!started.ok) throw new Error('start failed');
    const pass = () => submitAttempt(t.db, { userId: learner.id, attemptId: started.attempt.id, course, bank, answers: answerForm(started.attempt.paper as Paper, bank, true) });
    const race = counted({ n: 1, run: pass });
    const last = await markLessonDone(race.db, { userId: learner.id, course, lesson: course.lessons[1]! });
    expect(last).toMatchObject({ ok: true, completion: { completed: true, newlyCompleted: true } });
    expect(await t.db.select().from(certificates).where(eq(certificates.userId, learner.id))).toHaveLength(1);
  });
});
