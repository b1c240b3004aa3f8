// Every e-mail Capacita writes in Spanish says "usted", like the interface (tests/unit/i18n-register.test.ts) and
// the courses: each template of src/server/mail/ and of the reminders and digests is rendered in Spanish, in every
// variant it has, and its subject and text are read with the same detector. A template exported without a sample
// here fails the last test, so a new one cannot slip past.
import { describe, expect, it } from 'vitest';
import * as templates from '../../src/server/mail/templates.ts';
import * as reminderMessages from '../../src/server/reminders/messages.ts';
import * as digestMessages from '../../src/server/reminders/digest-mail.ts';
import type { OutgoingMessage } from '../../src/server/mail/outbox.ts';
import { saysTu as saysTuInInterface } from './helpers/register.ts';

// Mail says a little more than the interface: a verb of the story ("no avanzas") and an imperative after a comma
// ("Para mantenerla vigente, completa la Actualización").
const MAIL_TU = /(?<!\p{L})(avanzas|alcanzaste|pediste|creaste)(?!\p{L})|,\s+(completa|continúa|ignora|elige|confirma|haz|revisa)\s/iu;
const saysTu = (text: string) => saysTuInInterface(text) || MAIL_TU.test(text);

const to = { to: 'ana@x.gt', name: 'Ana', locale: 'es' as const };
const reminderTo = { ...to, timeZone: 'America/Guatemala', unsubscribeUrl: 'https://capacita.test/es/unsubscribe?u=1&k=refresher&s=x' };
const url = 'https://capacita.test/es/x';
const at = Date.UTC(2026, 10, 15);
const digestTable = { title: 'Cobertura por institución', columns: ['Institución', 'Con certificado'], rows: [['Ministerio Público', '12']] };

/** Each exported template, with every variant it renders. */
const SAMPLES: Record<string, () => OutgoingMessage[]> = {
  invitationMail: () => [templates.invitationMail({ ...to, url, institution: 'Ministerio Público', invitedBy: 'Comité', expiresInDays: 14 })],
  passwordResetMail: () => [templates.passwordResetMail({ ...to, url })],
  specialistDecisionMail: () => [true, false].map((approved) => templates.specialistDecisionMail({ ...to, url, approved, reason: 'Integra la unidad.' })),
  nameCorrectionDecisionMail: () => [true, false].map((approved) => templates.nameCorrectionDecisionMail({ ...to, url, approved, requestedName: 'Ana Pérez', reason: 'Documento' })),
  emailVerificationMail: () => [templates.emailVerificationMail({ ...to, url, expiresInDays: 7 })],
  alreadyRegisteredMail: () => [templates.alreadyRegisteredMail({ ...to, signInUrl: url, resetUrl: url })],
  refresherDueMail: () => [60, 14, 0].map((daysLeft) => reminderMessages.refresherDueMail({ ...reminderTo, url, lapsesAt: at, daysLeft })),
  stalledCourseMail: () => [false, true].map((second) => reminderMessages.stalledCourseMail({ ...reminderTo, url, course: 'Básico', idleDays: 14, second })),
  quizRetryMail: () => [
    reminderMessages.quizRetryMail({ ...reminderTo, url, course: 'Básico', attemptsLeft: 1, availableAt: null }),
    reminderMessages.quizRetryMail({ ...reminderTo, url, course: 'Básico', attemptsLeft: 2, availableAt: at }),
    reminderMessages.quizRetryMail({ ...reminderTo, url, course: 'Básico', attemptsLeft: null, availableAt: null }),
  ],
  committeeReminderMail: () => [true, false].map((expired) => reminderMessages.committeeReminderMail({ ...reminderTo, url, committee: 'La Comisión', validUntil: at, expired })),
  digestMail: () =>
    [true, false].map((empty) =>
      digestMessages.digestMail({
        ...reminderTo,
        month: 'noviembre de 2026',
        scope: 'Guatemala',
        coordinator: !empty,
        tables: empty ? [] : [digestTable],
        counts: [{ label: 'Solicitudes pendientes', value: empty ? 0 : 3, url }],
        dashboardUrl: url,
      }),
    ),
};

/** Subject and text, less quoted names and words («…», “…”), which are the person's or the course's own. */
const spokenText = (m: OutgoingMessage) => `${m.subject}\n${m.text}`.replace(/«[^»]*»|“[^”]*”/g, '«»');

describe('e-mail in Spanish says usted', () => {
  it('finds the tú forms the mail used to have', () => {
    for (const tu of ['Alguien (probablemente tú) pidió restablecer la contraseña', 'Mensaje automático: no respondas a este correo.', 'Tu certificación vence en 60 días', 'Te quedan 2 intentos.', 'No alcanzaste la nota de aprobación', 'Hace 14 días que no avanzas en el curso', 'Para mantenerla vigente, completa la Actualización.']) {
      expect(saysTu(tu), tu).toBe(true);
    }
  });

  for (const [name, sample] of Object.entries(SAMPLES)) {
    it(`${name} has no tú form`, () => {
      const offenders = sample().flatMap((m) => spokenText(m).split("\n")).filter((line) => saysTu(line));
      expect(offenders).toEqual([]);
    });
  }

  it('has a sample for every exported template', () => {
    const exported = [templates, reminderMessages, digestMessages].flatMap((m) => Object.entries(m).filter(([k, v]) => k.endsWith('Mail') && typeof v === 'function').map(([k]) => k));
    expect(exported.sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('writes the footer and the greeting in usted too', () => {
    expect(saysTu(templates.FOOTER.es)).toBe(false);
    expect(saysTu(templates.hello('es', 'Ana'))).toBe(false);
  });
});
