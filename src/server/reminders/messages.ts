// The reminder e-mails, in the recipient's language. Each carries one link to the page it is about and, as every
// reminder must, the signed link that turns its kind off (also sent as List-Unsubscribe).
import type { Locale } from '../../../db/schema.ts';
import { intlLocale } from '../../i18n/index.ts';
import { FOOTER, hello, render } from '../mail/templates.ts';
import type { OutgoingMessage } from '../mail/outbox.ts';

interface Recipient {
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

function withUnsubscribe(message: OutgoingMessage, r: Recipient): OutgoingMessage {
  const line =
    r.locale === 'es'
      ? `Para dejar de recibir este tipo de recordatorio: ${r.unsubscribeUrl} (también desde «Mi cuenta»).`
      : `To stop receiving this kind of reminder: ${r.unsubscribeUrl} (or from "My account").`;
  return { ...message, text: `${message.text}\n${line}`, listUnsubscribe: r.unsubscribeUrl };
}

/** 60 and 14 days before the plan training lapses (`daysLeft` > 0), and on the day (`daysLeft` = 0). */
export function refresherDueMail(r: Recipient & { lapsesAt: number; daysLeft: number; url: string }): OutgoingMessage {
  const { locale } = r;
  const date = longDate(locale, r.lapsesAt, r.timeZone);
  const today = r.daysLeft <= 0;
  const subject =
    locale === 'es'
      ? today ? 'Tu certificación vence hoy: haz la Actualización' : `Tu certificación vence en ${r.daysLeft} días`
      : today ? 'Your certification lapses today: take the Refresher' : `Your certification lapses in ${r.daysLeft} days`;
  const paragraphs =
    locale === 'es'
      ? [
          today
            ? `Tu formación básica en trata de personas y tráfico ilícito de migrantes vence hoy, ${date}. La Actualización ya está abierta para ti.`
            : `Tu formación básica en trata de personas y tráfico ilícito de migrantes vence el ${date}. Para mantenerla vigente, completa la Actualización.`,
          'La Actualización repasa los cambios de los protocolos y los casos nuevos; tu avance se guarda y puedes hacerla en varias sesiones.',
        ]
      : [
          today
            ? `Your basic training on trafficking in persons and smuggling of migrants lapses today, ${date}. The Refresher is open for you.`
            : `Your basic training on trafficking in persons and smuggling of migrants lapses on ${date}. To keep it valid, complete the Refresher.`,
          'The Refresher covers the changes to the protocols and new cases; your progress is saved, so you can take it over several sessions.',
        ];
  return withUnsubscribe(
    render(today ? 'reminder_refresher_0' : `reminder_refresher_${r.daysLeft > 14 ? 60 : 14}`, r.to, r.name, locale, {
      subject,
      greeting: hello(locale, r.name),
      paragraphs,
      action: { label: locale === 'es' ? 'Ir a la Actualización' : 'Go to the Refresher', url: r.url },
      footer: FOOTER[locale],
    }),
    r,
  );
}

/** An enrolment with no activity for 14 days (and once more, 30 days later). */
export function stalledCourseMail(r: Recipient & { course: string; idleDays: number; url: string; second: boolean }): OutgoingMessage {
  const { locale } = r;
  return withUnsubscribe(
    render(r.second ? 'reminder_stalled_30' : 'reminder_stalled_14', r.to, r.name, locale, {
      subject: locale === 'es' ? `Continúa el curso «${r.course}»` : `Pick up "${r.course}" where you left it`,
      greeting: hello(locale, r.name),
      paragraphs:
        locale === 'es'
          ? [`Hace ${r.idleDays} días que no avanzas en el curso «${r.course}». Tu avance está guardado: sigues desde la última lección.`]
          : [`You have not worked on "${r.course}" for ${r.idleDays} days. Your progress is saved: you continue from your last lesson.`],
      action: { label: locale === 'es' ? 'Continuar el curso' : 'Continue the course', url: r.url },
      footer: FOOTER[locale],
    }),
    r,
  );
}

/** After a failed quiz attempt that leaves attempts: how many, and from when (the cooldown). */
export function quizRetryMail(r: Recipient & { course: string; attemptsLeft: number | null; availableAt: number | null; url: string }): OutgoingMessage {
  const { locale } = r;
  const when = r.availableAt ? dateTime(locale, r.availableAt, r.timeZone) : null;
  const left =
    locale === 'es'
      ? r.attemptsLeft === null ? 'Puedes volver a intentarlo.' : `Te ${r.attemptsLeft === 1 ? 'queda 1 intento' : `quedan ${r.attemptsLeft} intentos`}.`
      : r.attemptsLeft === null ? 'You can try again.' : `You have ${r.attemptsLeft === 1 ? '1 attempt' : `${r.attemptsLeft} attempts`} left.`;
  const paragraphs =
    locale === 'es'
      ? [`No alcanzaste la nota de aprobación en la evaluación final de «${r.course}». ${left}`, when ? `Podrás hacer el siguiente intento a partir del ${when}.` : 'Puedes hacer el siguiente intento cuando quieras; repasa antes las lecciones.']
      : [`You did not reach the pass mark in the final quiz of "${r.course}". ${left}`, when ? `You can take the next attempt from ${when}.` : 'You can take the next attempt whenever you like; review the lessons first.'];
  return withUnsubscribe(
    render('reminder_quiz_retry', r.to, r.name, locale, {
      subject: locale === 'es' ? `Evaluación de «${r.course}»: aún tienes intentos` : `Quiz for "${r.course}": you have attempts left`,
      greeting: hello(locale, r.name),
      paragraphs,
      action: { label: locale === 'es' ? 'Ir a la evaluación' : 'Go to the quiz', url: r.url },
      footer: FOOTER[locale],
    }),
    r,
  );
}

/** A committee's reminder to the people of its refresher list (src/server/reminders/committee.ts). */
export function committeeReminderMail(r: Recipient & { committee: string; validUntil: number; expired: boolean; url: string }): OutgoingMessage {
  const { locale } = r;
  const date = longDate(locale, r.validUntil, r.timeZone);
  const paragraphs =
    locale === 'es'
      ? [
          `${r.committee} le recuerda que su formación básica en trata de personas y tráfico ilícito de migrantes ${r.expired ? `venció el ${date}` : `vence el ${date}`}.`,
          'Para mantenerla vigente, complete la Actualización en Capacita; su avance se guarda y puede hacerla en varias sesiones.',
        ]
      : [
          `${r.committee} reminds you that your basic training on trafficking in persons and smuggling of migrants ${r.expired ? `lapsed on ${date}` : `lapses on ${date}`}.`,
          'To keep it valid, complete the Refresher on Capacita; your progress is saved, so you can take it over several sessions.',
        ];
  return withUnsubscribe(
    render('committee_reminder', r.to, r.name, locale, {
      subject: locale === 'es' ? `${r.committee}: su Actualización está pendiente` : `${r.committee}: your Refresher is due`,
      greeting: hello(locale, r.name),
      paragraphs,
      action: { label: locale === 'es' ? 'Ir a la Actualización' : 'Go to the Refresher', url: r.url },
      footer: FOOTER[locale],
    }),
    r,
  );
}
