// How dates, times and numbers read, in one place for pages, e-mails, exports, PDFs and charts (this file runs in the
// browser too, for Chart.js: no server imports). A moment is always shown in a named time zone — the viewer's
// country's (src/server/time-zone.ts) — and a time always says which zone it is in, so "9:18" is never a guess.
import type { Locale } from '../../db/schema.ts';
import { intlLocale } from './locale-tag.ts';

export type DateStyle = 'long' | 'medium';

// Intl formatters are costly to build (Date#toLocaleString builds one per call): one per locale, zone and style.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormat(locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone })));
  return f;
}

const zonePart = (locale: Locale, at: number, timeZone: string, timeZoneName: 'shortGeneric' | 'shortOffset') =>
  dateFormat(locale, timeZone, { hour: 'numeric', timeZoneName })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value ?? '';

/**
 * The zone a time is in, in words: "hora de Guatemala, UTC−6" / "Guatemala Time, UTC−6", or "UTC". The offset is the
 * one in force at that moment, so a zone with summer time reads right all year.
 */
export function zoneLabel(locale: Locale, at: number | Date, timeZone: string): string {
  const ms = +at;
  const offset = zonePart(locale, ms, timeZone, 'shortOffset').replace(/^GMT/, 'UTC').replace('-', '−');
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const name = zonePart(locale, ms, timeZone, 'shortGeneric');
  // Where CLDR has no city name it answers with the offset again ("GMT-6"): say it once.
  return /^(GMT|UTC)/.test(name) ? offset : `${name}, ${offset === 'UTC' ? 'UTC+0' : offset}`;
}

/** A calendar day as the viewer's country lives it ("10 de marzo de 2026"): 23:30 in Guatemala is not tomorrow. */
export function formatDate(locale: Locale, at: number | Date, timeZone: string, style: DateStyle = 'long'): string {
  return dateFormat(locale, timeZone, { dateStyle: style }).format(+at);
}

/** Day and time with its zone: "10 de marzo de 2026, 9:18 a.m. (hora de Guatemala, UTC−6)". */
export function formatDateTime(locale: Locale, at: number | Date, timeZone: string, style: DateStyle = 'long'): string {
  return `${dateFormat(locale, timeZone, { dateStyle: style, timeStyle: 'short' }).format(+at)} (${zoneLabel(locale, at, timeZone)})`;
}

/** A time of today with its zone: "9:18 a.m. (hora de Guatemala, UTC−6)". */
export function formatTime(locale: Locale, at: number | Date, timeZone: string): string {
  return `${dateFormat(locale, timeZone, { timeStyle: 'short' }).format(+at)} (${zoneLabel(locale, at, timeZone)})`;
}

/** What a figure is: people (whole numbers), any other number (up to 2 decimals), a share (0–1, shown as % with 1). */
export type NumberKind = 'count' | 'number' | 'percent';

export const NUMBER_OPTIONS: Record<NumberKind, Intl.NumberFormatOptions> = {
  count: { maximumFractionDigits: 0 },
  number: { maximumFractionDigits: 2 },
  percent: { minimumFractionDigits: 1, maximumFractionDigits: 1 },
};

function numberFormat(locale: Locale, kind: NumberKind): Intl.NumberFormat {
  const key = `n|${locale}|${kind}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(intlLocale(locale), NUMBER_OPTIONS[kind])));
  return f;
}

/**
 * A figure as tables, charts, exports and PDFs show it: "1.234" / "1,234"; a share 0.007 → "0,7 %" / "0.7 %"; a share
 * already in points (0–100, as a chart axis holds it) with `points`.
 */
export function formatNumber(locale: Locale, value: number, kind: NumberKind = 'number', { points = false } = {}): string {
  if (kind !== 'percent') return numberFormat(locale, kind).format(value);
  return `${numberFormat(locale, 'percent').format(points ? value : value * 100)} %`;
}

/** The date and time formatters of one reader: their language and their time zone. */
export interface Clock {
  locale: Locale;
  timeZone: string;
  date(at: number | Date, style?: DateStyle): string;
  dateTime(at: number | Date, style?: DateStyle): string;
  time(at: number | Date): string;
  zone(at?: number | Date): string;
}

export function clockFor(locale: Locale, timeZone: string): Clock {
  return {
    locale,
    timeZone,
    date: (at, style) => formatDate(locale, at, timeZone, style),
    dateTime: (at, style) => formatDateTime(locale, at, timeZone, style),
    time: (at) => formatTime(locale, at, timeZone),
    zone: (at = Date.now()) => zoneLabel(locale, at, timeZone),
  };
}
