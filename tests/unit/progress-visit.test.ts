import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { enrolments, quizAttempts } from '../../db/schema.ts';
import { enrol } from '../../src/server/learning/enrolment.ts';
import { markLessonDone, visitLesson } from '../../src/server/learning/progress.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { createPerson } from './helpers/people.ts';

describe('visitLesson', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());
  const { course } = fixtureCourse('fx-basico');
  const row = async (userId: number) => (await t.db.select().from(enrolments).where(eq(enrolments.userId, userId)))[0]!;

  it('answers null for a person who is not enrolled, and writes nothing', async () => {
    const learner = await createPerson(t.db);
    expect(await visitLesson(t.db, learner.id, course, course.lessons[0]!)).toBeNull();
    expect(await t.db.select().from(enrolments).where(eq(enrolments.userId, learner.id))).toEqual([]);
  });

  it('records the resume point and the start once, and returns the progress the page shows', async () => {
    const learner = await createPerson(t.db);
    await enrol(t.db, learner, course);
    const first = await visitLesson(t.db, learner.id, course, course.lessons[0]!, { now: new Date('2026-03-01T10:00:00Z') });
    expect(first).toMatchObject({ lastLesson: course.lessons[0], lessonsDone: [], quizPassed: false, percent: 0, completedAt: null });
    expect(await row(learner.id)).toMatchObject({ lastLesson: course.lessons[0], startedAt: new Date('2026-03-01T10:00:00Z') });

    // A later visit moves the resume point but never the start.
    await visitLesson(t.db, learner.id, course, course.lessons[1]!, { now: new Date('2026-03-02T10:00:00Z') });
    expect(await row(learner.id)).toMatchObject({ lastLesson: course.lessons[1], startedAt: new Date('2026-03-01T10:00:00Z') });

    await markLessonDone(t.db, { userId: learner.id, course, lesson: course.lessons[0]! });
    const after = await visitLesson(t.db, learner.id, course, course.lessons[1]!);
    expect(after!.lessonsDone).toEqual([course.lessons[0]]);
    expect(after!.percent).toBe(Math.round((1 / (course.lessons.length + 1)) * 100));
  });

  it('lists the lessons done in course order and sees a passed quiz', async () => {
    const learner = await createPerson(t.db);
    const enrolled = await enrol(t.db, learner, course);
    if (!enrolled.ok) throw new Error('not enrolled');
    const [first, second] = course.lessons;
    await markLessonDone(t.db, { userId: learner.id, course, lesson: second! });
    await markLessonDone(t.db, { userId: learner.id, course, lesson: first! });
    expect(await visitLesson(t.db, learner.id, course, first!)).toMatchObject({ lessonsDone: [first, second], quizPassed: false });
    await t.db.insert(quizAttempts).values({ userId: learner.id, enrolmentId: enrolled.enrolmentId, courseId: course.id, paper: { questions: [] }, startedAt: new Date(), submittedAt: new Date(), score: 1, maxScore: 1, passed: true });
    const progress = await visitLesson(t.db, learner.id, course, first!);
    expect(progress).toMatchObject({ quizPassed: true, percent: Math.round((3 / (course.lessons.length + 1)) * 100) });
  });

  it('reads without recording when asked (a form post re-rendering the page)', async () => {
    const learner = await createPerson(t.db);
    await enrol(t.db, learner, course);
    const progress = await visitLesson(t.db, learner.id, course, course.lessons[1]!, { record: false });
    expect(progress).toMatchObject({ lastLesson: null, percent: 0 });
    expect(await row(learner.id)).toMatchObject({ lastLesson: null, startedAt: null });
  });
});
