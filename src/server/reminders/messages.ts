// The reminder e-mails, in the recipient's language. Each carries one link to the page it is about and, as every
// reminder must, the signed link that turns its kind off (also sent as List-Unsubscribe).
import type { Locale } from '../../../db/schema.ts';
import { intlLocale } from '../../i18n/index.ts';
import { compose } from '../mail/templates.ts';
import type { OutgoingMessage } from '../mail/outbox.ts';

export interface Recipient {
  to: string;
  name: string;
  locale: Locale;
  timeZone: string;
  unsubscribeUrl: string;
}

const longDate = (locale: Locale, at: number, timeZone: string) =>
  new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone }).format(at);
const dateTime = (locale: Locale, at: number, timeZone: string) =>
  new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeStyle: 'short', timeZone }).format(at);

export function withUnsubscribe(message: OutgoingMessage, r: Recipient): OutgoingMessage {
  const line =
    r.locale === 'es'
      ? `Para dejar de recibir este tipo de recordatorio: ${r.unsubscribeUrl} (también desde «Mi cuenta»).`
      : `To stop receiving this kind of reminder: ${r.unsubscribeUrl} (or from "My account").`;
  return { ...message, text: `${message.text}\n${line}`, listUnsubscribe: r.unsubscribeUrl };
}

/** 60 and 14 days before the plan training lapses (`daysLeft` > 0), and on the day (`daysLeft` = 0). */
export function refresherDueMail(r: Recipient & { lapsesAt: number; daysLeft: number; url: string }): OutgoingMessage {
  const date = longDate(r.locale, r.lapsesAt, r.timeZone);
  const today = r.daysLeft <= 0;
  return withUnsubscribe(
    compose({
      kind: today ? 'reminder_refresher_0' : `reminder_refresher_${r.daysLeft > 14 ? 60 : 14}`,
      ...r,
      es: {
        subject: today ? 'Su certificación vence hoy: haga la Actualización' : `Su certificación vence en ${r.daysLeft} días`,
        paragraphs: [
          today
            ? `Su formación básica en trata de personas y tráfico ilícito de migrantes vence hoy, ${date}. La Actualización ya está abierta para usted.`
            : `Su formación básica en trata de personas y tráfico ilícito de migrantes vence el ${date}. Para mantenerla vigente, complete la Actualización.`,
          'La Actualización repasa los cambios de los protocolos y los casos nuevos; su avance se guarda y puede hacerla en varias sesiones.',
        ],
        action: 'Ir a la Actualización',
      },
      en: {
        subject: today ? 'Your certification lapses today: take the Refresher' : `Your certification lapses in ${r.daysLeft} days`,
        paragraphs: [
          today
            ? `Your basic training on trafficking in persons and smuggling of migrants lapses today, ${date}. The Refresher is open for you.`
            : `Your basic training on trafficking in persons and smuggling of migrants lapses on ${date}. To keep it valid, complete the Refresher.`,
          'The Refresher covers the changes to the protocols and new cases; your progress is saved, so you can take it over several sessions.',
        ],
        action: 'Go to the Refresher',
      },
    }),
    r,
  );
}

/** An enrolment with no activity for 14 days (and once more, 30 days later). */
export function stalledCourseMail(r: Recipient & { course: string; idleDays: number; url: string; second: boolean }): OutgoingMessage {
  return withUnsubscribe(
    compose({
      kind: r.second ? 'reminder_stalled_30' : 'reminder_stalled_14',
      ...r,
      es: {
        subject: `Continúe el curso «${r.course}»`,
        paragraphs: [`Hace ${r.idleDays} días que no avanza en el curso «${r.course}». Su avance está guardado: retomará el curso desde la última lección.`],
        action: 'Continuar el curso',
      },
      en: {
        subject: `Pick up "${r.course}" where you left it`,
        paragraphs: [`You have not worked on "${r.course}" for ${r.idleDays} days. Your progress is saved: you continue from your last lesson.`],
        action: 'Continue the course',
      },
    }),
    r,
  );
}

/** After a failed quiz attempt that leaves attempts: how many, and from when (the cooldown). */
export function quizRetryMail(r: Recipient & { course: string; attemptsLeft: number | null; availableAt: number | null; url: string }): OutgoingMessage {
  const when = (locale: Locale) => (r.availableAt ? dateTime(locale, r.availableAt, r.timeZone) : null);
  const left = r.attemptsLeft;
  return withUnsubscribe(
    compose({
      kind: 'reminder_quiz_retry',
      ...r,
      es: {
        subject: `Evaluación de «${r.course}»: aún tiene intentos`,
        paragraphs: [
          `No alcanzó la nota de aprobación en la evaluación final de «${r.course}». ${left === null ? 'Puede volver a intentarlo.' : `Le ${left === 1 ? 'queda 1 intento' : `quedan ${left} intentos`}.`}`,
          when('es') ? `Podrá hacer el siguiente intento a partir del ${when('es')}.` : 'Puede hacer el siguiente intento cuando quiera; repase antes las lecciones.',
        ],
        action: 'Ir a la evaluación',
      },
      en: {
        subject: `Quiz for "${r.course}": you have attempts left`,
        paragraphs: [
          `You did not reach the pass mark in the final quiz of "${r.course}". ${left === null ? 'You can try again.' : `You have ${left === 1 ? '1 attempt' : `${left} attempts`} left.`}`,
          when('en') ? `You can take the next attempt from ${when('en')}.` : 'You can take the next attempt whenever you like; review the lessons first.',
        ],
        action: 'Go to the quiz',
      },
    }),
    r,
  );
}

/** A committee's reminder to the people of its refresher list (src/server/reminders/committee.ts). */
export function committeeReminderMail(r: Recipient & { committee: string; validUntil: number; expired: boolean; url: string }): OutgoingMessage {
  const date = longDate(r.locale, r.validUntil, r.timeZone);
  return withUnsubscribe(
    compose({
      kind: 'committee_reminder',
      ...r,
      es: {
        subject: `${r.committee}: su Actualización está pendiente`,
        paragraphs: [
          `${r.committee} le recuerda que su formación básica en trata de personas y tráfico ilícito de migrantes ${r.expired ? `venció el ${date}` : `vence el ${date}`}.`,
          'Para mantenerla vigente, complete la Actualización en Capacita; su avance se guarda y puede hacerla en varias sesiones.',
        ],
        action: 'Ir a la Actualización',
      },
      en: {
        subject: `${r.committee}: your Refresher is due`,
        paragraphs: [
          `${r.committee} reminds you that your basic training on trafficking in persons and smuggling of migrants ${r.expired ? `lapsed on ${date}` : `lapses on ${date}`}.`,
          'To keep it valid, complete the Refresher on Capacita; your progress is saved, so you can take it over several sessions.',
        ],
        action: 'Go to the Refresher',
      },
    }),
    r,
  );
}
