// The placement test for people trained elsewhere (src/server/learning/placement.ts): draw a paper from the Básico
// bank, and submit it to be graded on the server. The rules live in the domain; these handlers parse and authorise.
import { defineAction, type ActionAPIContext } from 'astro:actions';
import { z } from 'astro/zod';
import { getDb } from '../app/db.ts';
import { domainHandler } from '../app/domain-error.ts';
import { authorize } from '../app/guard.ts';
import { getBank, getCourses } from '../app/content.ts';
import { formAnswersFrom, startPlacement, submitPlacement, type Course, type PlacementRefusal } from '../server/learning/index.ts';
import { DomainError, notFound, refusal, type Refusals } from '../server/errors.ts';

/** The Básico course whose bank placement papers are drawn from (the first of the programme). */
async function basicoCourse(): Promise<Course> {
  const course = (await getCourses()).filter((c) => c.programme === 'basico').sort((a, b) => a.order - b.order)[0];
  if (!course) throw new DomainError('notFound', 'placement.error.unavailable');
  return course;
}

const REFUSALS: Refusals<PlacementRefusal> = {
  notAllowed: ['forbidden', 'errors.forbidden'],
  hasBasico: ['conflict', 'placement.error.hasBasico'],
  alreadyPassed: ['conflict', 'placement.error.alreadyPassed'],
  noAttemptsLeft: ['forbidden', 'placement.error.noAttemptsLeft'],
};

export const placement = {
  start: defineAction({
    accept: 'form',
    handler: domainHandler(async (_input: unknown, context: ActionAPIContext) => {
      const user = authorize(context, 'learning.placement');
      const basico = await basicoCourse();
      const result = await startPlacement(getDb(), { actor: user, basico, bank: await getBank(basico.id) });
      if (!result.ok) throw refusal(REFUSALS, result.error);
      return { attemptId: result.attempt.id };
    }),
  }),

  submit: defineAction({
    accept: 'form',
    handler: domainHandler(async (form: FormData, context: ActionAPIContext) => {
      const user = authorize(context, 'learning.placement');
      const attempt = z.coerce.number().int().positive().safeParse(form.get('attempt'));
      if (!attempt.success) throw new DomainError('invalid');
      const basico = await basicoCourse();
      const result = await submitPlacement(getDb(), { userId: user.id, attemptId: attempt.data, basico, bank: await getBank(basico.id), answers: formAnswersFrom(form) });
      if (!result.ok) throw notFound(`placement attempt ${attempt.data}`);
      return result.outcome;
    }),
  }),
};
