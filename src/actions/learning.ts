// Learning: enrolment, lesson progress, knowledge checks, the final quiz, and asking to join a specialised unit.
// Every rule is decided on the server by the domain modules; these handlers only parse, authorise and translate.
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { getDb } from '../app/db.ts';
import { authorize, requireUser } from '../app/guard.ts';
import { getBank, getCourse, getLesson, lessonRequiredActivities } from '../app/content.ts';
import { enrol, markLessonDone, formAnswersFrom, gradeQuestion, grantExtraTime, MAX_EXTRA_MINUTES, practiceEntry, responseFromForm, saveAnswers, startAttempt, submitAttempt, type Course } from '../server/learning/index.ts';
import { requiredActivitiesDone } from '../server/h5p/activityResults.ts';
import { MAX_REASON_LENGTH, MAX_UNIT_LENGTH, requestSpecialistStatus } from '../server/learning/specialist-request.ts';

const slug = z.string({ error: 'errors.invalidInput' }).regex(/^[a-z0-9-]{1,80}$/, { error: 'errors.invalidInput' });

async function courseOr404(id: string): Promise<Course> {
  const course = await getCourse(id);
  if (!course) throw new ActionError({ code: 'NOT_FOUND', message: 'learning.error.unknownCourse' });
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
    handler: async (input, context) => {
      const user = authorize(context, 'learning.take');
      const course = await courseOr404(input.course);
      const result = await enrol(getDb(), user, course);
      if (!result.ok) {
        if (result.error === 'alreadyCompleted') throw new ActionError({ code: 'CONFLICT', message: 'learning.error.alreadyCompleted' });
        throw new ActionError({ code: 'FORBIDDEN', message: 'learning.error.locked' });
      }
      return { course: course.id, enrolmentId: result.enrolmentId, first: course.lessons[0]! };
    },
  }),

  markDone: defineAction({
    accept: 'form',
    input: z.object({ course: slug, lesson: slug }),
    handler: async (input, context) => {
      const user = authorize(context, 'learning.take');
      const course = await courseOr404(input.course);
      const lesson = await getLesson(course.id, context.locals.locale, input.lesson);
      if (!lesson || !course.lessons.includes(input.lesson)) throw new ActionError({ code: 'NOT_FOUND', message: 'learning.error.unknownLesson' });
      // Required H5P activities (<H5P … required />) must be completed first (activity_results, src/server/h5p/).
      const result = await markLessonDone(getDb(), { userId: user.id, course, lesson: input.lesson, requiredActivities: lessonRequiredActivities(lesson), activitiesDone: requiredActivitiesDone });
      if (!result.ok) {
        if (result.error === 'notEnrolled') throw new ActionError({ code: 'FORBIDDEN', message: 'learning.error.notEnrolled' });
        if (result.error === 'activitiesPending') throw new ActionError({ code: 'BAD_REQUEST', message: 'learning.error.activitiesPending' });
        throw new ActionError({ code: 'NOT_FOUND', message: 'learning.error.unknownLesson' });
      }
      const index = course.lessons.indexOf(input.lesson);
      return {
        course: course.id,
        next: course.lessons[index + 1] ?? null,
        certificateCode: result.completion.completed ? result.completion.certificateCode : null,
      };
    },
  }),

  /** An ungraded knowledge check: grade one practice question and return the feedback. */
  practice: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      authorize(context, 'learning.take');
      const parsed = z.object({ course: slug, question: slug }).safeParse({ course: field(form, 'course'), question: field(form, 'question') });
      if (!parsed.success) throw new ActionError({ code: 'BAD_REQUEST', message: 'errors.invalidInput' });
      const course = await courseOr404(parsed.data.course);
      const question = (await getBank(course.id)).practice.find((q) => q.id === parsed.data.question);
      if (!question) throw new ActionError({ code: 'NOT_FOUND', message: 'errors.notFound' });
      const response = responseFromForm(question, practiceEntry(question), 'kc', formAnswersFrom(form));
      const grade = gradeQuestion(question, response);
      return { question: question.id, correct: grade.correct, score: grade.score };
    },
  }),

  startQuiz: defineAction({
    accept: 'form',
    input: z.object({ course: slug }),
    handler: async (input, context) => {
      const user = authorize(context, 'learning.take');
      const course = await courseOr404(input.course);
      const result = await startAttempt(getDb(), { userId: user.id, course, bank: await getBank(course.id) });
      if (!result.ok) {
        if (result.error === 'notEnrolled') throw new ActionError({ code: 'FORBIDDEN', message: 'learning.error.notEnrolled' });
        if (result.error === 'alreadyPassed') throw new ActionError({ code: 'CONFLICT', message: 'learning.quiz.alreadyPassed' });
        if (result.error === 'noAttemptsLeft') throw new ActionError({ code: 'FORBIDDEN', message: 'learning.quiz.noAttemptsLeft' });
        if (result.error === 'coolingDown') throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'learning.quiz.coolingDown' });
        throw new ActionError({ code: 'NOT_FOUND', message: 'learning.quiz.unavailable' });
      }
      return { attemptId: result.attempt.id };
    },
  }),

  submitQuiz: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const user = authorize(context, 'learning.take');
      const parsed = z.object({ course: slug, attempt: z.coerce.number().int().positive() }).safeParse({ course: field(form, 'course'), attempt: field(form, 'attempt') });
      if (!parsed.success) throw new ActionError({ code: 'BAD_REQUEST', message: 'errors.invalidInput' });
      const course = await courseOr404(parsed.data.course);
      const result = await submitAttempt(getDb(), { userId: user.id, attemptId: parsed.data.attempt, course, bank: await getBank(course.id), answers: formAnswersFrom(form) });
      if (!result.ok) throw new ActionError({ code: 'NOT_FOUND', message: 'errors.notFound' });
      const { outcome } = result;
      return {
        course: course.id,
        attemptId: outcome.attemptId,
        percent: outcome.percent,
        passed: outcome.passed,
        late: outcome.late,
        certificateCode: outcome.completion.completed ? outcome.completion.certificateCode : null,
      };
    },
  }),

  /**
   * Saves answers of the learner's own open attempt: the autosave script (one question, `questions` naming it, `seq`
   * its moment) and the "Save" button without JavaScript (the whole page; back to the same place).
   */
  saveAnswers: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
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
      if (!parsed.success) throw new ActionError({ code: 'BAD_REQUEST', message: 'errors.invalidInput' });
      const course = await courseOr404(parsed.data.course);
      const { attempt, seq, questions, place } = parsed.data;
      const result = await saveAnswers(getDb(), { userId: user.id, attemptId: attempt, course, bank: await getBank(course.id), answers: formAnswersFrom(form), questions, seq });
      if (!result.ok) {
        if (result.error === 'timeUp') throw new ActionError({ code: 'CONFLICT', message: 'learning.quiz.saveTimeUp' });
        if (result.error === 'submitted') throw new ActionError({ code: 'CONFLICT', message: 'learning.quiz.alreadySubmitted' });
        throw new ActionError({ code: 'NOT_FOUND', message: 'errors.notFound' });
      }
      return { savedAt: result.savedAt.getTime(), saved: result.saved, place: place ?? null };
    },
  }),

  /** A committee grants a person extra minutes on a course's final quiz (audited; the policy decides who may). */
  grantExtraTime: defineAction({
    accept: 'form',
    input: z.object({
      user: z.coerce.number().int().positive({ error: 'errors.invalidInput' }),
      course: slug,
      minutes: z.coerce.number({ error: 'learning.extraTime.invalid' }).int({ error: 'learning.extraTime.invalid' }).min(0, { error: 'learning.extraTime.invalid' }).max(MAX_EXTRA_MINUTES, { error: 'learning.extraTime.invalid' }),
    }),
    handler: async (input, context) => {
      // Who may grant it depends on the person (canManagePerson: their committee, or the region's staff): the domain asks.
      const actor = requireUser(context);
      const course = await courseOr404(input.course);
      const result = await grantExtraTime(getDb(), actor, { userId: input.user, course, minutes: input.minutes, ip: context.locals.ip });
      if (!result.ok) {
        if (result.error === 'forbidden') throw new ActionError({ code: 'FORBIDDEN', message: 'errors.forbidden' });
        if (result.error === 'invalid') throw new ActionError({ code: 'BAD_REQUEST', message: 'learning.extraTime.invalid' });
        throw new ActionError({ code: 'NOT_FOUND', message: 'errors.notFound' });
      }
      return { user: input.user, course: course.id, minutes: result.minutes };
    },
  }),

  requestSpecialist: defineAction({
    accept: 'form',
    input: z.object({
      unit: z.string({ error: 'learning.specialist.unitRequired' }).trim().min(2, { error: 'learning.specialist.unitRequired' }).max(MAX_UNIT_LENGTH, { error: 'learning.specialist.tooLong' }),
      reason: z.string({ error: 'learning.specialist.reasonRequired' }).trim().min(10, { error: 'learning.specialist.reasonRequired' }).max(MAX_REASON_LENGTH, { error: 'learning.specialist.tooLong' }),
    }),
    handler: async (input, context) => {
      const user = authorize(context, 'learning.requestSpecialist');
      await requestSpecialistStatus(getDb(), user, input, context.locals.ip);
      return { requested: true };
    },
  }),
};
