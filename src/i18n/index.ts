// UI strings, one file per domain under messages/. A missing English key is a type error, so both languages stay whole.
import type { Locale } from '../../db/schema.ts';
import { common } from './messages/common.ts';
import { auth } from './messages/auth.ts';
import { learning } from './messages/learning.ts';
import { dashboard } from './messages/dashboard.ts';
import { admin } from './messages/admin.ts';
import { h5p } from './messages/h5p.ts';
import { resilience } from './messages/resilience.ts';
import { certificates } from './messages/certificates.ts';
import { placement } from './messages/placement.ts';
import { guia } from './messages/guia.ts';
import { reminders } from './messages/reminders.ts';
import { offline } from './messages/offline.ts';
import { checkin } from './messages/checkin.ts';
import { modes } from './messages/modes.ts';
import { workshops } from './messages/workshops.ts';

export type { Locale };
export const LOCALES: readonly Locale[] = ['es', 'en'];
export const DEFAULT_LOCALE: Locale = 'es';

const es = { ...common.es, ...auth.es, ...learning.es, ...dashboard.es, ...admin.es, ...h5p.es, ...resilience.es, ...certificates.es, ...placement.es, ...guia.es, ...reminders.es, ...checkin.es, ...modes.es, ...offline.es, ...workshops.es };
const en = { ...common.en, ...auth.en, ...learning.en, ...dashboard.en, ...admin.en, ...h5p.en, ...resilience.en, ...certificates.en, ...placement.en, ...guia.en, ...reminders.en, ...checkin.en, ...modes.en, ...offline.en, ...workshops.en };
const dictionaries: Record<Locale, Record<MessageKey, string>> = { es, en };

export type MessageKey = keyof typeof es;
export type Params = Record<string, string | number>;

export function isLocale(value: unknown): value is Locale {
  return value === 'es' || value === 'en';
}

/** Translates a key; `{name}` placeholders are filled from params. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text = dictionaries[locale][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function isMessageKey(key: string): key is MessageKey {
  return key in es;
}

// In its own file so browser code (charts) can format without loading every message.
export { intlLocale } from './locale-tag.ts';

/** A translator bound to one locale, the form pages and components use. */
/** Messages written per plural form: `<base>.one` and `<base>.other` (plus any other CLDR category a language needs). */
export type CountedKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never;

const pluralRules = new Map<Locale, Intl.PluralRules>();

/**
 * The form of a counted message that the language uses for `count` ("1 fila", "2 filas"), chosen by Intl.PluralRules,
 * with `{count}` filled in the locale's digits; a form the language uses but the message lacks falls back to `.other`.
 */
export function translateCount(locale: Locale, base: CountedKey, count: number, params?: Params): string {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  const form = `${base}.${rules.select(count)}`;
  const key = isMessageKey(form) ? form : (`${base}.other` as MessageKey);
  return translate(locale, key, { count: count.toLocaleString(locale), ...params });
}

export function useTranslations(locale: Locale) {
  return (key: MessageKey, params?: Params) => translate(locale, key, params);
}

/** The locale a visitor most likely reads, from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...rest] = part.trim().split(';');
      const q = rest.find((p) => p.trim().startsWith('q='));
      return { lang: tag.trim().slice(0, 2).toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((r) => r.lang)
    .sort((a, b) => b.q - a.q);
  for (const { lang } of ranked) if (isLocale(lang)) return lang;
  return DEFAULT_LOCALE;
}

/** The same page in another language: /es/cursos/x → /en/cursos/x. */
export function switchLocalePath(pathname: string, to: Locale): string {
  const match = pathname.match(/^\/(es|en)(\/.*)?$/);
  if (!match) return `/${to}/`;
  return `/${to}${match[2] ?? '/'}`;
}

/** Prefixes a path with the locale: localePath('es', '/login') → /es/login */
export function localePath(locale: Locale, path = '/'): string {
  return `/${locale}${path.startsWith('/') ? path : `/${path}`}`;
}
