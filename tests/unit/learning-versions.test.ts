// A course changes under the people taking it: fx-basico 1.0 (lessons uno, dos) becomes 2.0 (lessons uno, tres; fx-q1
// reworded with another right answer; fx-q3 removed from the bank). Each rule of docs/LEARNING.md "When a course
// changes", on a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { certificates, enrolments, quizAttempts, quizResponses, xapiStatements } from '../../db/schema.ts';
import type { Course, Question, QuestionBank } from '../../src/server/learning/catalog.ts';
import { enrol, markLessonDone, presentPaper, startAttempt, submitAttempt, visitLesson } from '../../src/server/learning/index.ts';
import type { Paper } from '../../src/server/learning/quiz/paper.ts';
import { paperQuestions, questionVersion, requiredLessons } from '../../src/server/learning/versions.ts';
import { itemAnalysis } from '../../src/server/reports/items.ts';
import { recordActivityStatement } from '../../src/server/h5p/activityResults.ts';
import { buildStoredStatement, xapiReportSchema } from '../../src/server/h5p/xapiStatement.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse, fixtureCourseVersion } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

const v1 = fixtureCourse('fx-basico');
const v2 = fixtureCourseVersion('fx-basico', '2.0');
const at = (day: number) => new Date(Date.UTC(2026, 4, day, 9));

/** The form answers that get every question of a paper right, by the answer key of the questions given. */
function rightAnswers(paper: Paper, questions: Map<string, Question>): Record<string, string[]> {
  const answers: Record<string, string[]> = {};
  paper.questions.forEach((entry, i) => {
    const q = questions.get(entry.id)!;
    if (q.type === 'single' || q.type === 'multiple') answers[`q${i}`] = (q.answer as string[]).map((a) => String(entry.options!.indexOf(a)));
    if (q.type === 'truefalse') answers[`q${i}`] = [String(q.answer)];
    if (q.type === 'ordering') entry.options!.forEach((id, k) => (answers[`q${i}.${k}`] = [String(q.options!.findIndex((o) => o.id === id) + 1)]));
    if (q.type === 'matching') entry.options!.forEach((id, k) => (answers[`q${i}.${k}`] = [String(entry.rights!.indexOf(id))]));
  });
  return answers;
}
const byId = (bank: QuestionBank) => new Map(bank.questions.map((q) => [q.id, q]));

describe('the fixtures', () => {
  it('are one course in two versions that differ where the rules bite', () => {
    expect([v1.course.version, v2.course.version]).toEqual(['1.0', '2.0']);
    expect(v1.course.lessons).toEqual(['uno', 'dos']);
    expect(v2.course.lessons).toEqual(['uno', 'tres']);
    expect(v2.bank.questions.map((q) => q.id)).not.toContain('fx-q3');
    expect(questionVersion(byId(v1.bank).get('fx-q1')!)).not.toBe(questionVersion(byId(v2.bank).get('fx-q1')!));
    expect(questionVersion(byId(v1.bank).get('fx-q2')!)).toBe(questionVersion(byId(v2.bank).get('fx-q2')!));
  });
});

describe('required lessons', () => {
  it('are the lessons the course has now and had when the enrolment began', () => {
    expect(requiredLessons({ lessonsAtStart: ['uno', 'dos'] }, v2.course)).toEqual(['uno']);
    expect(requiredLessons({ lessonsAtStart: ['uno', 'tres'] }, v2.course)).toEqual(['uno', 'tres']);
    // Enrolments from before versions were recorded take the current list.
    expect(requiredLessons({ lessonsAtStart: null }, v2.course)).toEqual(['uno', 'tres']);
  });
  it('do not change when the explanation of a question is corrected, but do when its wording is', () => {
    const q = byId(v1.bank).get('fx-q2')!;
    expect(questionVersion({ ...q, explanation: { es: 'Otra explicación.', en: 'Another explanation.' } })).toBe(questionVersion(q));
    expect(questionVersion({ ...q, text: { ...q.text, es: '¿Cuáles son?' } })).not.toBe(questionVersion(q));
  });
});

describe('a new version lands mid-course (database)', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  async function enrolledOn(version: { course: Course }) {
    const learner = await createPerson(t.db, { name: 'Persona Versiones' });
    const enrolled = await enrol(t.db, learner, version.course, at(1));
    if (!enrolled.ok) throw new Error('not enrolled');
    return { learner, enrolmentId: enrolled.enrolmentId };
  }
  async function passQuiz(userId: number, version: { course: Course; bank: QuestionBank }, day: number) {
    const start = await startAttempt(t.db, { userId, course: version.course, bank: version.bank, now: at(day) });
    if (!start.ok) throw new Error(`no attempt: ${start.error}`);
    const paper = start.attempt.paper as Paper;
    return submitAttempt(t.db, { userId, attemptId: start.attempt.id, course: version.course, bank: version.bank, answers: rightAnswers(paper, paperQuestions(paper, version.bank)), now: at(day) });
  }

  it('records the version and the lessons an enrolment began with', async () => {
    const { enrolmentId } = await enrolledOn(v1);
    const [row] = await t.db.select().from(enrolments).where(eq(enrolments.id, enrolmentId));
    expect(row).toMatchObject({ courseVersion: '1.0', lessonsAtStart: ['uno', 'dos'] });
  });

  it('keeps a completed lesson completed when the lesson still exists', async () => {
    const { learner } = await enrolledOn(v1);
    await markLessonDone(t.db, { userId: learner.id, course: v1.course, lesson: 'uno', now: at(2) });
    const progress = await visitLesson(t.db, learner.id, v2.course, 'uno', { record: false });
    expect(progress).toMatchObject({ lessonsDone: ['uno'], lessonsTotal: 1 });
  });

  it('no longer lets a removed lesson block completion (the next visit completes the course)', async () => {
    const { learner, enrolmentId } = await enrolledOn(v1);
    await markLessonDone(t.db, { userId: learner.id, course: v1.course, lesson: 'uno', now: at(2) });
    const passed = await passQuiz(learner.id, v1, 3);
    // Under 1.0, "dos" is still missing: passed, not completed.
    expect(passed.ok && passed.outcome.passed && !passed.outcome.completion.completed).toBe(true);
    // 2.0 lands without "dos": everything this enrolment must do is done.
    const progress = await visitLesson(t.db, learner.id, v2.course, 'uno', { now: at(4) });
    expect(progress).toMatchObject({ percent: 100, completedAt: at(4) });
    const [cert] = await t.db.select().from(certificates).where(eq(certificates.enrolmentId, enrolmentId));
    // The certificate names the version the course was taken under.
    expect(cert).toMatchObject({ courseVersion: '1.0', issuedAt: at(4) });
  });

  it('requires a lesson added by the new version only of enrolments begun on it', async () => {
    // Begun on 1.0: "uno" and the quiz complete it under 2.0; "tres" is there to read, not required.
    const old = await enrolledOn(v1);
    await markLessonDone(t.db, { userId: old.learner.id, course: v2.course, lesson: 'uno', now: at(2) });
    const oldPass = await passQuiz(old.learner.id, v2, 3);
    expect(oldPass.ok && oldPass.outcome.completion.completed).toBe(true);

    // Begun on 2.0: "tres" is required.
    const fresh = await enrolledOn(v2);
    await markLessonDone(t.db, { userId: fresh.learner.id, course: v2.course, lesson: 'uno', now: at(2) });
    const freshPass = await passQuiz(fresh.learner.id, v2, 3);
    expect(freshPass.ok && freshPass.outcome.passed && !freshPass.outcome.completion.completed).toBe(true);
    expect(await visitLesson(t.db, fresh.learner.id, v2.course, 'uno', { record: false })).toMatchObject({ lessonsTotal: 2, completedAt: null });
    const done = await markLessonDone(t.db, { userId: fresh.learner.id, course: v2.course, lesson: 'tres', now: at(4) });
    expect(done.ok && done.completion.completed).toBe(true);
    const [cert] = await t.db.select().from(certificates).where(eq(certificates.enrolmentId, fresh.enrolmentId));
    expect(cert?.courseVersion).toBe('2.0');
  });

  it('grades an open attempt against the paper it was drawn from, though the bank changed', async () => {
    const { learner } = await enrolledOn(v1);
    // Every question of the 1.0 bank on the paper, so the removed and the reworded one are both there.
    const course = { ...v1.course, quiz: { ...v1.course.quiz, draw: v1.bank.questions.length } };
    const start = await startAttempt(t.db, { userId: learner.id, course, bank: v1.bank, now: at(2) });
    if (!start.ok) throw new Error('no attempt');
    expect(start.attempt.courseVersion).toBe('1.0');
    const paper = start.attempt.paper as Paper;
    // The page, reloaded after 2.0 landed, still shows the question as drawn.
    const shown = presentPaper(start.attempt, v2.bank, 'es');
    expect(shown).toHaveLength(5);
    expect(shown.map((q) => q.text)).toContain('¿Uno?');
    expect(shown.map((q) => q.text)).not.toContain('¿Uno, en la versión 2?');
    // Answered by the 1.0 key, submitted while 2.0 is live: full marks on all five, fx-q3 included.
    const result = await submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course: { ...v2.course, quiz: course.quiz }, bank: v2.bank, answers: rightAnswers(paper, byId(v1.bank)), now: at(2) });
    expect(result.ok && result.outcome).toMatchObject({ score: 5, maxScore: 5, passed: true });
    const responses = await t.db.select().from(quizResponses).where(eq(quizResponses.attemptId, start.attempt.id));
    expect(responses.find((r) => r.questionId === 'fx-q1')).toMatchObject({ correct: true, questionVersion: questionVersion(byId(v1.bank).get('fx-q1')!) });
  });

  it('counts a reworded question apart in item analysis, from zero', async () => {
    const course = (v: typeof v1) => ({ ...v.course, quiz: { ...v.course.quiz, draw: v.bank.questions.length } });
    for (const v of [v1, v2]) {
      const { learner } = await enrolledOn(v);
      const start = await startAttempt(t.db, { userId: learner.id, course: course(v), bank: v.bank, now: at(5) });
      if (!start.ok) throw new Error('no attempt');
      await submitAttempt(t.db, { userId: learner.id, attemptId: start.attempt.id, course: course(v), bank: v.bank, answers: rightAnswers(start.attempt.paper as Paper, byId(v.bank)), now: at(5) });
    }
    const report = await itemAnalysis(t.db, { kind: 'all' }, 'fx-basico');
    const q1 = report.items.filter((i) => i.questionId === 'fx-q1');
    expect(q1.map((i) => i.questionVersion).sort()).toEqual([questionVersion(byId(v1.bank).get('fx-q1')!), questionVersion(byId(v2.bank).get('fx-q1')!)].sort());
    // The 2.0 wording has only the answers given under it: this test's one, and the 2.0 attempts of the tests above.
    const v2Answers = await t.db.select().from(quizResponses).where(eq(quizResponses.questionVersion, questionVersion(byId(v2.bank).get('fx-q1')!)));
    const v1Answers = await t.db.select().from(quizResponses).where(eq(quizResponses.questionVersion, questionVersion(byId(v1.bank).get('fx-q1')!)));
    expect(v1Answers.length).toBeGreaterThan(0);
    expect(q1.find((i) => i.questionVersion === questionVersion(byId(v2.bank).get('fx-q1')!))).toMatchObject({ answered: v2Answers.length, correct: v2Answers.length });
    expect(q1.find((i) => i.questionVersion === questionVersion(byId(v1.bank).get('fx-q1')!))?.answered).toBe(v1Answers.length);
    // An unchanged question keeps one line of figures across versions.
    expect(report.items.filter((i) => i.questionId === 'fx-q2')).toHaveLength(1);
  });

  it('stores an interactive activity’s statement with the course version of the enrolment', async () => {
    const { learner } = await enrolledOn(v1);
    // The statement as the platform builds it from what an H5P activity reports.
    const reported = xapiReportSchema.parse({
      activityId: 'fx-activity',
      courseId: 'fx-basico',
      statement: {
        verb: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
        object: { id: 'https://capacita.example.org/h5p/fx-activity', objectType: 'Activity' },
        result: { score: { min: 0, max: 1, raw: 1, scaled: 1 }, completion: true, success: true },
      },
    });
    const stored = buildStoredStatement({ report: reported, actor: { userId: learner.id }, origin: 'https://capacita.example.org', now: at(6).getTime() });
    const id = stored.id;
    await recordActivityStatement(t.db, { userId: learner.id, activityId: 'fx-activity', courseId: 'fx-basico', countryCode: learner.countryCode, stored, forward: false, now: at(6).getTime() });
    const [row] = await t.db.select().from(xapiStatements).where(eq(xapiStatements.id, id));
    expect(row?.courseVersion).toBe('1.0');
    expect((await t.db.select().from(quizAttempts).where(eq(quizAttempts.userId, learner.id))).length).toBe(0);
  });
});
