// The placement test for people trained elsewhere (src/server/learning/placement.ts): draw a paper from the Básico
// bank, and submit it to be graded on the server. The rules live in the domain; these handlers parse and authorise.
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { getDb } from '../app/db.ts';
import { authorize } from '../app/guard.ts';
import { getBank, getCourses } from '../app/content.ts';
import { formAnswersFrom, startPlacement, submitPlacement, type Course, type PlacementRefusal } from '../server/learning/index.ts';

/** The Básico course whose bank placement papers are drawn from (the first of the programme). */
async function basicoCourse(): Promise<Course> {
  const course = (await getCourses()).filter((c) => c.programme === 'basico').sort((a, b) => a.order - b.order)[0];
  if (!course) throw new ActionError({ code: 'NOT_FOUND', message: 'placement.error.unavailable' });
  return course;
}

const REFUSALS: Record<PlacementRefusal, { code: 'FORBIDDEN' | 'CONFLICT'; message: string }> = {
  notAllowed: { code: 'FORBIDDEN', message: 'errors.forbidden' },
  hasBasico: { code: 'CONFLICT', message: 'placement.error.hasBasico' },
  alreadyPassed: { code: 'CONFLICT', message: 'placement.error.alreadyPassed' },
  noAttemptsLeft: { code: 'FORBIDDEN', message: 'placement.error.noAttemptsLeft' },
};

export const placement = {
  start: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      const user = authorize(context, 'learning.placement');
      const basico = await basicoCourse();
      const result = await startPlacement(getDb(), { actor: user, basico, bank: await getBank(basico.id) });
      if (!result.ok) throw new ActionError(REFUSALS[result.error]);
      return { attemptId: result.attempt.id };
    },
  }),

  submit: defineAction({
    accept: 'form',
    handler: async (form: FormData, context) => {
      const user = authorize(context, 'learning.placement');
      const attempt = z.coerce.number().int().positive().safeParse(form.get('attempt'));
      if (!attempt.success) throw new ActionError({ code: 'BAD_REQUEST', message: 'errors.invalidInput' });
      const basico = await basicoCourse();
      const result = await submitPlacement(getDb(), { userId: user.id, attemptId: attempt.data, basico, bank: await getBank(basico.id), answers: formAnswersFrom(form) });
      if (!result.ok) throw new ActionError({ code: 'NOT_FOUND', message: 'errors.notFound' });
      return result.outcome;
    },
  }),
};
