import type { Locale } from '../../db/schema.ts';

/**
 * The BCP 47 tag for Intl formatting and a document's language: Latin American Spanish (the coalition's countries),
 * and British English for day-month-year dates and 24-hour times like the Spanish pages.
 */
export function intlLocale(locale: Locale): 'es-419' | 'en-GB' {
  return locale === 'es' ? 'es-419' : 'en-GB';
}
