// The one name validator (registration, invitations, import, the account page): names as people write them in the
// region, and a clear refusal — never a silent cut — for what is not a name.
import { describe, expect, it } from 'vitest';
import { checkPersonName, PERSON_NAME_MAX } from '../../src/server/person-name.ts';

describe('checkPersonName', () => {
  it.each([
    'Nayeli Xʼumil Ajpop', // Maya glottal stop, U+02BC
    'Ñuñoa Güemes',
    'Zoë Ólafsdóttir',
    "Seán O'Brien",
    'D’Alessandro Ruiz',
    'María-José Pérez-Núñez',
    'Ma. Fernanda Loáiciga',
    'Ixchel Bʼalam Kʼicheʼ',
    'Αλέξανδρος Παπαδόπουλος',
    'Иван Петров',
  ])('accepts %s as typed', (name) => {
    expect(checkPersonName(name)).toEqual({ ok: true, name });
  });

  it('stores one form of a name: NFC, spaces collapsed and trimmed', () => {
    // "Zoë" typed with a combining diaeresis (e + U+0308) is the same name as with ë.
    expect(checkPersonName('  Zoe\u0308   Ólafsdóttir ')).toEqual({ ok: true, name: 'Zoë Ólafsdóttir' });
  });

  it.each([
    ['Ana 😀 López', 'errors.nameCharacters'],
    ['Ana López 3', 'errors.nameCharacters'],
    ['Ana <b>López</b>', 'errors.nameCharacters'],
    ['Ana\u0000López', 'errors.nameCharacters'],
    ['Ana\u202eLópez', 'errors.nameCharacters'], // a bidi override would reverse what the certificate prints
    ['Ana\u200dLópez', 'errors.nameCharacters'],
    ['@ana', 'errors.nameCharacters'],
    ['', 'errors.nameRequired'],
    ['   ', 'errors.nameRequired'],
    ['A', 'errors.nameRequired'],
    ["'-", 'errors.nameRequired'],
  ])('refuses %j with %s', (name, error) => {
    expect(checkPersonName(name)).toEqual({ ok: false, error });
  });

  it('refuses a name longer than the limit instead of cutting it', () => {
    const long = 'Á'.repeat(PERSON_NAME_MAX + 1);
    expect(checkPersonName(long)).toEqual({ ok: false, error: 'errors.nameTooLong' });
    expect(checkPersonName('Á'.repeat(PERSON_NAME_MAX))).toEqual({ ok: true, name: 'Á'.repeat(PERSON_NAME_MAX) });
  });
});
