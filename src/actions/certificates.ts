// Certificate Actions: the holder asks for a name correction; the committee of their country decides it.
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { deliverMailSoon, publicOrigin } from '../app/admin.ts';
import { asAction } from '../app/domain-error.ts';
import { getDb } from '../app/db.ts';
import { requireUser } from '../app/guard.ts';
import { decideNameCorrection, requestNameCorrection } from '../server/learning/index.ts';

const code = z.string({ error: 'errors.invalidInput' }).trim().min(16, { error: 'errors.invalidInput' }).max(40, { error: 'errors.invalidInput' });
const id = z.coerce.number({ error: 'errors.invalidInput' }).int().positive({ error: 'errors.invalidInput' });
// Required only to reject (the domain says so, with its own message); optional text arrives as null when empty.
const reason = z.string().trim().max(500, { error: 'admin.error.tooLong' }).nullish().transform((v) => v ?? '');

export const certificates = {
  requestNameCorrection: defineAction({
    accept: 'form',
    input: z.object({ code }),
    handler: async (input, context) => {
      const user = requireUser(context);
      // The policy question ('certificate.requestNameCorrection') and ownership are answered by the domain.
      await asAction(() => requestNameCorrection(getDb(), user, input.code, { ip: context.locals.ip }));
      return { code: input.code };
    },
  }),

  decideNameCorrection: defineAction({
    accept: 'form',
    input: z.object({ id, decision: z.enum(['approve', 'reject'], { error: 'errors.invalidInput' }), reason }),
    handler: async (input, context) => {
      const user = requireUser(context);
      // 'certificate.approveNameCorrection' in the request's country, asked by the domain once it has read the request.
      const result = await asAction(() => decideNameCorrection(getDb(), user, input.id, { approve: input.decision === 'approve', reason: input.reason }, { origin: publicOrigin(), ip: context.locals.ip }));
      deliverMailSoon();
      return { decision: input.decision, ...result };
    },
  }),
};
