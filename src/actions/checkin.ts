// QR check-in to a workshop session: the attendee's confirmation, posted from the page the code opens
// (src/pages/[lang]/checkin.astro). The code is the only input; src/server/checkin/ checks it and the roster.
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { getDb } from '../app/db.ts';
import { domainHandler } from '../app/domain-error.ts';
import { authorize } from '../app/guard.ts';
import { checkIn } from '../server/checkin/index.ts';

export const checkin = {
  confirm: defineAction({
    accept: 'form',
    input: z.object({ code: z.string({ error: 'checkin.error.malformed' }).trim().min(1, { error: 'checkin.error.malformed' }).max(120, { error: 'checkin.error.malformed' }) }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'workshop.checkIn');
      const result = await checkIn(getDb(), user, input.code, { ip: context.locals.ip });
      return { recorded: result.recorded, sessionId: result.session.sessionId };
    }),
  }),
};
