// Reminder Actions: a person's own reminder preferences (the unsubscribe link needs no session: src/pages/[lang]/unsubscribe.astro).
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { REMINDER_KINDS } from '../../db/schema.ts';
import { getDb } from '../app/db.ts';
import { authorize } from '../app/guard.ts';
import { setReminderPreferences } from '../server/reminders/index.ts';

export const reminders = {
  setPreferences: defineAction({
    accept: 'form',
    // The ticked boxes: every kind left unticked is turned off.
    input: z.object({ kinds: z.array(z.enum(REMINDER_KINDS, { error: 'reminders.error.kinds' })).max(REMINDER_KINDS.length).default([]) }),
    handler: async (input, context) => {
      const user = authorize(context, 'account.reminders');
      await setReminderPreferences(getDb(), user.id, [...new Set(input.kinds)]);
      return { saved: true };
    },
  }),
};
