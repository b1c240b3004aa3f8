// The form fields of the optional profile (src/server/profile.ts's rules as zod schemas whose issues carry i18n keys).
// Optional on the outside: Astro reads an empty form field as undefined only when the field's own schema is optional.
import { z } from 'astro/zod';
import { checkPosition, checkSex } from '../server/profile.ts';

export const positionField = z
  .string()
  .transform((value, ctx) => {
    const checked = checkPosition(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: 'errors.positionInvalid' });
    return z.NEVER;
  })
  .optional();

export const sexField = z
  .string()
  .transform((value, ctx) => {
    const checked = checkSex(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: 'errors.sexInvalid' });
    return z.NEVER;
  })
  .optional();
