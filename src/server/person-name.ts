// A person's name as the platform accepts it, everywhere a name is typed (registration, invitation, import, the account
// page): letters of any script with any diacritics, the Maya glottal-stop apostrophe ʼ (U+02BC) and the ordinary ones
// (' and ’), spaces, hyphens and the period of an abbreviation ("Ma. José"). Emoji, digits, symbols and control
// characters are refused with a message, and a name too long is refused — never cut short, because a certificate
// must print the whole name.
//
// The name is stored in NFC (so "Zoë" typed as e + combining diaeresis and as ë are the same name) with its spaces
// collapsed.

export const PERSON_NAME_MIN = 2;
export const PERSON_NAME_MAX = 120;

export type PersonNameError = 'errors.nameRequired' | 'errors.nameTooLong' | 'errors.nameCharacters';

export type PersonNameCheck = { ok: true; name: string } | { ok: false; error: PersonNameError };

// Letters and combining marks (\p{M}: a diacritic left decomposed after NFC, as in many Maya orthographies), then the
// separators a name may contain between them.
const NAME_CHARACTERS = /^[\p{L}\p{M}' ’ʼ.\-‐]+$/u;
const LETTER = /\p{L}/gu;

export function checkPersonName(input: string | null | undefined): PersonNameCheck {
  const name = (input ?? '').normalize('NFC').replace(/\s+/gu, ' ').trim();
  // Control and format characters (zero-width joiners, bidi overrides) are refused before anything else is judged.
  if (/[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u.test(name)) return { ok: false, error: 'errors.nameCharacters' };
  if (name.length === 0) return { ok: false, error: 'errors.nameRequired' };
  if (!NAME_CHARACTERS.test(name)) return { ok: false, error: 'errors.nameCharacters' };
  if ((name.match(LETTER) ?? []).length < PERSON_NAME_MIN) return { ok: false, error: 'errors.nameRequired' };
  if ([...name].length > PERSON_NAME_MAX) return { ok: false, error: 'errors.nameTooLong' };
  return { ok: true, name };
}
