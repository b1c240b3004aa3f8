// The clock a page shows times with: the signed-in person's country's zone (UTC, stated, for staff with no country).
import { clockFor, type Clock } from '../i18n/format.ts';
import type { Locale } from '../i18n/index.ts';
import { countryTimeZone } from '../server/time-zone.ts';
import { getDb } from './db.ts';

export async function viewerClock(locals: { locale: Locale; user: { countryCode: string | null } | null }): Promise<Clock> {
  return clockFor(locals.locale, await countryTimeZone(getDb(), locals.user?.countryCode));
}

/** The clock of a country's own people (a certificate's dates are the holder's country's days). */
export async function countryClock(locale: Locale, countryCode: string | null | undefined): Promise<Clock> {
  return clockFor(locale, await countryTimeZone(getDb(), countryCode));
}
