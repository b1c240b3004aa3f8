// Reminder Actions: a person's own reminder preferences (the unsubscribe link needs no session:
// src/pages/[lang]/unsubscribe.astro) and a committee's reminder to its refresher list.
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { REMINDER_KINDS } from '../../db/schema.ts';
import { getDb } from '../app/db.ts';
import { deliverMailSoon, publicOrigin } from '../app/admin.ts';
import { domainHandler } from '../app/domain-error.ts';
import { authorize } from '../app/guard.ts';
import { digestLocalizer, reminderCatalog, unsubscribeSecret } from '../app/reminders.ts';
import { parseFilters } from '../server/reports/scope.ts';
import { reminderKindsFor, sendCommitteeMessage, sendDigestNow, setReminderPreferences } from '../server/reminders/index.ts';

export const reminders = {
  setPreferences: defineAction({
    accept: 'form',
    // The ticked boxes: every kind left unticked is turned off.
    input: z.object({ kinds: z.array(z.enum(REMINDER_KINDS, { error: 'reminders.error.kinds' })).max(REMINDER_KINDS.length).default([]) }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'account.reminders');
      const offered = reminderKindsFor(user);
      await setReminderPreferences(getDb(), user.id, [...new Set(input.kinds)].filter((k) => offered.includes(k)), Date.now(), offered);
      return { saved: true };
    }),
  }),

  /** A committee's reminder to the people of its refresher list, with the count its preview showed. */
  sendCommittee: defineAction({
    accept: 'form',
    input: z.object({
      country: z.string().regex(/^[A-Z]{2}$/, { error: 'errors.forbidden' }),
      // The list's filters as a query string; an empty field arrives as null.
      filters: z.string().max(500).nullish().transform((v) => v ?? ''),
      count: z.coerce.number().int().min(0).max(10_000_000),
      confirm: z.literal('on', { error: 'reminders.committee.confirmRequired' }),
    }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'people.message', { countryCode: input.country });
      const filters = parseFilters(new URLSearchParams(input.filters));
      const { refresherCourseId } = await reminderCatalog();
      const result = await sendCommitteeMessage(getDb(), user, {
        countryCode: input.country,
        filters,
        origin: publicOrigin(),
        secret: unsubscribeSecret(),
        refresherCourseId,
        confirmedCount: input.count,
        ip: context.locals.ip,
      });
      deliverMailSoon();
      return result;
    }),
  }),

  /** "Send me this digest now" (the dashboard's digest page): the month so far, to the reader's own address. */
  sendDigest: defineAction({
    accept: 'form',
    // The form's one field: a post without it (junk, another form) is not a request for the digest.
    input: z.object({ send: z.literal('now', { error: 'errors.invalidInput' }) }),
    handler: domainHandler(async (_input, context) => {
      const user = authorize(context, 'dashboard.view', { countryCode: context.locals.user?.countryCode ?? null });
      const db = getDb();
      await sendDigestNow(db, user, { origin: publicOrigin(), secret: unsubscribeSecret(), localize: digestLocalizer(db) });
      deliverMailSoon();
      return { sent: true };
    }),
  }),
};
