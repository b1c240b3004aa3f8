// The form field for a person's name: src/server/person-name.ts's rules as a zod schema whose issues carry i18n keys.
import { z } from 'astro/zod';
import { checkPersonName } from '../server/person-name.ts';

export const personNameField = z.string({ error: 'errors.nameRequired' }).transform((value, ctx) => {
  const checked = checkPersonName(value);
  if (checked.ok) return checked.name;
  ctx.addIssue({ code: 'custom', message: checked.error });
  return z.NEVER;
});
