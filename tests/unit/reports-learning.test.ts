// The learning code keeps the dashboards' summaries in step: enrolment, lessons, quiz and certificate go through
// enrol/markLessonDone/startAttempt/submitAttempt, and the summaries then equal a rebuild from the raw rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { enrol } from '../../src/server/learning/enrolment.ts';
import { markLessonDone, visitLesson } from '../../src/server/learning/progress.ts';
import { startAttempt, submitAttempt } from '../../src/server/learning/quiz/attempts.ts';
import type { FormAnswers } from '../../src/server/learning/quiz/form.ts';
import type { Paper } from '../../src/server/learning/quiz/paper.ts';
import type { QuestionBank } from '../../src/server/learning/catalog.ts';
import { coverageReport } from '../../src/server/reports/coverage.ts';
import { funnelReport } from '../../src/server/reports/funnel.ts';
import { itemAnalysis } from '../../src/server/reports/items.ts';
import { rebuildReportSummaries } from '../../src/server/reports/summary.ts';
import { revokeCertificate } from '../../src/server/admin/people.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

const { course, bank } = fixtureCourse('fx-basico');
let t: TestDatabase;

/** Answers every question right (or every one wrong) through the same form fields the page posts. */
function answers(paper: Paper, questions: QuestionBank, right: boolean): FormAnswers {
  const form: FormAnswers = {};
  paper.questions.forEach((entry, i) => {
    const q = questions.questions.find((x) => x.id === entry.id)!;
    const pos = (id: string) => String(entry.options!.indexOf(id));
    const name = `q${i}`;
    if (q.type === 'single') form[name] = [pos(right ? (q.answer as string[])[0]! : q.options!.find((o) => o.id !== (q.answer as string[])[0])!.id)];
    if (q.type === 'multiple') form[name] = (right ? (q.answer as string[]) : q.options!.filter((o) => !(q.answer as string[]).includes(o.id)).map((o) => o.id)).map(pos);
    if (q.type === 'truefalse') form[name] = [String(right ? q.answer : !q.answer)];
    if (q.type === 'ordering') entry.options!.forEach((id, k) => { const c = q.options!.findIndex((o) => o.id === id) + 1; form[`${name}.${k}`] = [String(right ? c : (c % q.options!.length) + 1)]; });
    if (q.type === 'matching') entry.options!.forEach((id, k) => { form[`${name}.${k}`] = [String(entry.rights!.indexOf(right ? id : entry.rights!.find((r) => r !== id)!))]; });
  });
  return form;
}

async function takeQuiz(userId: number, right: boolean, now: Date) {
  const started = await startAttempt(t.db, { userId, course, bank, now });
  if (!started.ok) throw new Error(`could not start: ${JSON.stringify(started)}`);
  const [row] = await t.db.all<{ paper: string }>(sql`SELECT paper FROM quiz_attempts WHERE id = ${started.attempt.id}`);
  const paper = JSON.parse(row!.paper) as Paper;
  return submitAttempt(t.db, { userId, attemptId: started.attempt.id, course, bank, answers: answers(paper, bank, right), now: new Date(now.getTime() + 60_000) });
}

beforeAll(async () => {
  t = await createTestDatabase();
  // Three people: one completes (fails once, then passes), one starts only, one only enrols.
  const people = [await createPerson(t.db), await createPerson(t.db), await createPerson(t.db)];
  for (const p of people) expect((await enrol(t.db, p, course)).ok).toBe(true);
  for (const lesson of course.lessons) await markLessonDone(t.db, { userId: people[0]!.id, course, lesson });
  // After the cool-down between attempts (one day later).
  await takeQuiz(people[0]!.id, false, new Date());
  await takeQuiz(people[0]!.id, true, new Date(Date.now() + 86_400_000));
  await visitLesson(t.db, people[1]!.id, course, course.lessons[0]!);
  await markLessonDone(t.db, { userId: people[1]!.id, course, lesson: course.lessons[0]! });
});
afterAll(() => t.close());

describe('summaries maintained by the learning code', () => {
  it('count the funnel, the holder and the quiz attempts', async () => {
    const [country] = await t.db.all<{ country_code: string }>(sql`SELECT country_code FROM users LIMIT 1`);
    const scope = { kind: 'country' as const, countryCode: country!.country_code };
    expect((await funnelReport(t.db, scope))[0]).toMatchObject({ courseId: course.id, enrolled: 3, started: 2, completed: 1, certified: 1 });
    expect((await coverageReport(t.db, scope)).total[course.programme]?.holders).toBe(1);
    const items = await itemAnalysis(t.db, scope, course.id);
    expect(items.attempts).toBe(2);
    // Each attempt draws course.quiz.draw questions: the first all wrong, the second all right.
    const draw = Math.min(course.quiz.draw, bank.questions.length);
    expect(items.items.reduce((s, i) => s + i.answered, 0)).toBe(2 * draw);
    expect(items.items.reduce((s, i) => s + i.correct, 0)).toBe(draw);
    // Responses are stored in the quiz's own shapes ({"type":"single","choice":"b"} …): the wrong ones are named.
    for (const i of items.items.filter((x) => x.correct < x.answered)) expect(i.topWrong?.response ?? '').toContain('"type":');
  });

  it('equal a rebuild from the raw rows', async () => {
    const dump = async () => [
      await t.db.all(sql`SELECT * FROM report_course_month ORDER BY 1, 2, 3, 5`),
      await t.db.all(sql`SELECT * FROM report_completion_days ORDER BY 1, 2, 3, 4, 5`),
      await t.db.all(sql`SELECT * FROM report_holders ORDER BY 1, 2`),
      await t.db.all(sql`SELECT * FROM report_attempt_scores ORDER BY 1, 2, 3`),
      await t.db.all(sql`SELECT * FROM report_item_responses ORDER BY 1, 2, 3, 4, 5`),
    ];
    const incremental = await dump();
    await rebuildReportSummaries(t.db);
    expect(await dump()).toEqual(incremental);
  });

  it('stop counting a certificate the administrator revokes', async () => {
    const admin = await createPerson(t.db, { role: 'admin' });
    const [cert] = await t.db.all<{ id: number; country_code: string }>(sql`SELECT id, country_code FROM certificates LIMIT 1`);
    await revokeCertificate(t.db, admin, cert!.id, 'Emitido por error');
    const scope = { kind: 'country' as const, countryCode: cert!.country_code };
    expect((await coverageReport(t.db, scope)).total[course.programme]?.holders ?? 0).toBe(0);
    expect((await funnelReport(t.db, scope))[0]).toMatchObject({ completed: 1, certified: 0 });
    const holders = await t.db.all(sql`SELECT * FROM report_holders ORDER BY 1, 2`);
    const months = await t.db.all(sql`SELECT * FROM report_course_month ORDER BY 1, 2, 3, 5`);
    await rebuildReportSummaries(t.db);
    expect(await t.db.all(sql`SELECT * FROM report_holders ORDER BY 1, 2`)).toEqual(holders);
    expect(await t.db.all(sql`SELECT * FROM report_course_month ORDER BY 1, 2, 3, 5`)).toEqual(months);
  });
});
