// Learning: enrolment, lesson progress, knowledge checks, the final quiz, and asking to join a specialised unit.
// Every rule is decided on the server by the domain modules; these handlers only parse, authorise and translate.
import { defineAction, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro/zod';
import { getDb } from '../app/db.ts';
import { domainHandler } from '../app/domain-error.ts';
import { authorize, requireUser } from '../app/guard.ts';
import { getBank, getCourse, getLesson, lessonRequiredActivities } from '../app/content.ts';
import { enrol, markLessonDone, formAnswersFrom, gradeQuestion, grantExtraTime, MAX_EXTRA_MINUTES, MAX_REASON_LENGTH, MAX_UNIT_LENGTH, practiceEntry, requestSpecialistStatus, responseFromForm, saveAnswers, startAttempt, submitAttempt, type Course, type EnrolResult, type GrantResult, type MarkDoneResult, type SaveResult, type StartRefusal } from '../server/learning/index.ts';
import { requiredActivitiesDone } from '../server/h5p/activityResults.ts';
import { DomainError, notFound, refusal, type Failure, type Refusals } from '../server/errors.ts';

const slug = z.string({ error: 'errors.invalidInput' }).regex(/^[a-z0-9-]{1,80}$/, { error: 'errors.invalidInput' });

// How each refusal of the learning domain reads (src/server/errors.ts: a new one in its union is a type error here).
const ENROL: Refusals<Failure<EnrolResult>> = { alreadyCompleted: ['conflict', 'learning.error.alreadyCompleted'], locked: ['forbidden', 'learning.error.locked'] };
const MARK_DONE: Refusals<Failure<MarkDoneResult>> = {
  notEnrolled: ['forbidden', 'learning.error.notEnrolled'],
  activitiesPending: ['invalid', 'learning.error.activitiesPending'],
  unknownLesson: ['notFound', 'learning.error.unknownLesson'],
};
const START_QUIZ: Refusals<StartRefusal['error']> = {
  notEnrolled: ['forbidden', 'learning.error.notEnrolled'],
  alreadyPassed: ['conflict', 'learning.quiz.alreadyPassed'],
  noAttemptsLeft: ['forbidden', 'learning.quiz.noAttemptsLeft'],
  coolingDown: ['tooMany', 'learning.quiz.coolingDown'],
  emptyBank: ['notFound', 'learning.quiz.unavailable'],
};
const SAVE_ANSWERS: Refusals<Failure<SaveResult>> = { timeUp: ['conflict', 'learning.quiz.saveTimeUp'], submitted: ['conflict', 'learning.quiz.alreadySubmitted'], notFound: ['notFound', 'errors.notFound'] };
const EXTRA_TIME: Refusals<Failure<GrantResult>> = { forbidden: ['forbidden', 'errors.forbidden'], invalid: ['invalid', 'learning.extraTime.invalid'], notFound: ['notFound', 'errors.notFound'] };

async function courseOr404(id: string): Promise<Course> {
  const course = await getCourse(id);
  if (!course) throw new DomainError('notFound', 'learning.error.unknownCourse', id);
  return course;
}

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export const learning = {
  enrol: defineAction({
    accept: 'form',
    input: z.object({ course: slug }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'learning.take');
      const course = await courseOr404(input.course);
      const result = await enrol(getDb(), user, course);
      if (!result.ok) throw refusal(ENROL, result.error);
      return { course: course.id, enrolmentId: result.enrolmentId, first: course.lessons[0]! };
    }),
  }),

  markDone: defineAction({
    accept: 'form',
    input: z.object({ course: slug, lesson: slug }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'learning.take');
      const course = await courseOr404(input.course);
      const lesson = await getLesson(course.id, context.locals.locale, input.lesson);
      if (!lesson || !course.lessons.includes(input.lesson)) throw new DomainError('notFound', 'learning.error.unknownLesson', input.lesson);
      // Required H5P activities (<H5P … required />) must be completed first (activity_results, src/server/h5p/).
      const result = await markLessonDone(getDb(), { userId: user.id, course, lesson: input.lesson, requiredActivities: lessonRequiredActivities(lesson), activitiesDone: requiredActivitiesDone });
      if (!result.ok) throw refusal(MARK_DONE, result.error);
      const index = course.lessons.indexOf(input.lesson);
      return {
        course: course.id,
        next: course.lessons[index + 1] ?? null,
        certificateCode: result.completion.completed ? result.completion.certificateCode : null,
      };
    }),
  }),

  /** An ungraded knowledge check: grade one practice question and return the feedback. */
  practice: defineAction({
    accept: 'form',
    handler: domainHandler(async (form: FormData, context: ActionAPIContext) => {
      authorize(context, 'learning.take');
      const parsed = z.object({ course: slug, question: slug }).safeParse({ course: field(form, 'course'), question: field(form, 'question') });
      if (!parsed.success) throw new DomainError('invalid');
      const course = await courseOr404(parsed.data.course);
      const question = (await getBank(course.id)).practice.find((q) => q.id === parsed.data.question);
      if (!question) throw notFound(parsed.data.question);
      const response = responseFromForm(question, practiceEntry(question), 'kc', formAnswersFrom(form));
      const grade = gradeQuestion(question, response);
      return { question: question.id, correct: grade.correct, score: grade.score };
    }),
  }),

  startQuiz: defineAction({
    accept: 'form',
    input: z.object({ course: slug }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'learning.take');
      const course = await courseOr404(input.course);
      const result = await startAttempt(getDb(), { userId: user.id, course, bank: await getBank(course.id) });
      if (!result.ok) throw refusal(START_QUIZ, result.error);
      return { attemptId: result.attempt.id };
    }),
  }),

  submitQuiz: defineAction({
    accept: 'form',
    handler: domainHandler(async (form: FormData, context: ActionAPIContext) => {
      const user = authorize(context, 'learning.take');
      const parsed = z.object({ course: slug, attempt: z.coerce.number().int().positive() }).safeParse({ course: field(form, 'course'), attempt: field(form, 'attempt') });
      if (!parsed.success) throw new DomainError('invalid');
      const course = await courseOr404(parsed.data.course);
      const result = await submitAttempt(getDb(), { userId: user.id, attemptId: parsed.data.attempt, course, bank: await getBank(course.id), answers: formAnswersFrom(form) });
      if (!result.ok) throw notFound(`attempt ${parsed.data.attempt}`);
      const { outcome } = result;
      return {
        course: course.id,
        attemptId: outcome.attemptId,
        percent: outcome.percent,
        passed: outcome.passed,
        late: outcome.late,
        certificateCode: outcome.completion.completed ? outcome.completion.certificateCode : null,
      };
    }),
  }),

  /**
   * Saves answers of the learner's own open attempt: the autosave script (one question, `questions` naming it, `seq`
   * its moment) and the "Save" button without JavaScript (the whole page; back to the same place).
   */
  saveAnswers: defineAction({
    accept: 'form',
    handler: domainHandler(async (form: FormData, context: ActionAPIContext) => {
      const user = authorize(context, 'learning.take');
      const parsed = z
        .object({
          course: slug,
          attempt: z.coerce.number().int().positive(),
          seq: z.coerce.number().int().positive().optional(),
          questions: z.array(z.coerce.number().int().min(0).max(999)).max(200).optional(),
          place: z.string().regex(/^qgroup-\d{1,3}$/).optional(),
        })
        .safeParse({
          course: field(form, 'course'),
          attempt: field(form, 'attempt'),
          seq: field(form, 'seq') || undefined,
          questions: form.has('questions') ? form.getAll('questions').filter((v) => typeof v === 'string' && v !== '') : undefined,
          place: field(form, 'place') || undefined,
        });
      if (!parsed.success) throw new DomainError('invalid');
      const course = await courseOr404(parsed.data.course);
      const { attempt, seq, questions, place } = parsed.data;
      const result = await saveAnswers(getDb(), { userId: user.id, attemptId: attempt, course, bank: await getBank(course.id), answers: formAnswersFrom(form), questions, seq });
      if (!result.ok) throw refusal(SAVE_ANSWERS, result.error);
      return { savedAt: result.savedAt.getTime(), saved: result.saved, place: place ?? null };
    }),
  }),

  /** A committee grants a person extra minutes on a course's final quiz (audited; the policy decides who may). */
  grantExtraTime: defineAction({
    accept: 'form',
    input: z.object({
      user: z.coerce.number().int().positive({ error: 'errors.invalidInput' }),
      course: slug,
      minutes: z.coerce.number({ error: 'learning.extraTime.invalid' }).int({ error: 'learning.extraTime.invalid' }).min(0, { error: 'learning.extraTime.invalid' }).max(MAX_EXTRA_MINUTES, { error: 'learning.extraTime.invalid' }),
    }),
    handler: domainHandler(async (input, context) => {
      // Who may grant it depends on the person (canManagePerson: their committee, or the region's staff): the domain asks.
      const actor = requireUser(context);
      const course = await courseOr404(input.course);
      const result = await grantExtraTime(getDb(), actor, { userId: input.user, course, minutes: input.minutes, ip: context.locals.ip });
      if (!result.ok) throw refusal(EXTRA_TIME, result.error);
      return { user: input.user, course: course.id, minutes: result.minutes };
    }),
  }),

  requestSpecialist: defineAction({
    accept: 'form',
    input: z.object({
      unit: z.string({ error: 'learning.specialist.unitRequired' }).trim().min(2, { error: 'learning.specialist.unitRequired' }).max(MAX_UNIT_LENGTH, { error: 'learning.specialist.tooLong' }),
      reason: z.string({ error: 'learning.specialist.reasonRequired' }).trim().min(10, { error: 'learning.specialist.reasonRequired' }).max(MAX_REASON_LENGTH, { error: 'learning.specialist.tooLong' }),
    }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'learning.requestSpecialist');
      await requestSpecialistStatus(getDb(), user, input, context.locals.ip);
      return { requested: true };
    }),
  }),
};
