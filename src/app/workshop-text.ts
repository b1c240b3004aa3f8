// How the workshop pages write a workshop's days, hours and title in the reader's language. Session days are
// calendar days (YYYY-MM-DD, no time of day), so they are formatted as such, never shifted by a time zone.
import { formatDate, formatNumber } from '../i18n/format.ts';
import { translate, type Locale } from '../i18n/index.ts';

const dayMoment = (day: string) => Date.parse(`${day}T12:00:00Z`);

export function formatDay(locale: Locale, day: string, style: 'long' | 'medium' = 'medium'): string {
  return formatDate(locale, dayMoment(day), 'UTC', style);
}

export function formatDays(locale: Locale, from: string, to: string): string {
  if (from === to) return formatDay(locale, from);
  return translate(locale, 'workshops.dates', { from: formatDay(locale, from), to: formatDay(locale, to) });
}

export function formatHours(locale: Locale, hours: number): string {
  return translate(locale, 'workshops.hours', { hours: formatNumber(locale, hours) });
}

export function workshopTitle(workshop: { titleEs: string; titleEn: string }, locale: Locale): string {
  return locale === 'es' ? workshop.titleEs : workshop.titleEn;
}
