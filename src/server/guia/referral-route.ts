// The national referral route an indicator points to: the country's national body and the hotline and referral
// contact its committee configured (admin → national body). Nothing here is typed by hand: a country whose body has
// published no contact says so, and the Guía never fills the gap with a number from elsewhere.
import type { Database } from '../../../db/client.ts';
import type { Locale } from '../../../db/schema.ts';
import { getCountryName, getNationalBody } from '../directory.ts';

export interface ReferralRoute {
  countryCode: string;
  country: string;
  body: string;
  hotline: string | null;
  referralContact: string | null;
}

export async function referralRoute(db: Database, countryCode: string | null | undefined, locale: Locale): Promise<ReferralRoute | null> {
  if (!countryCode) return null;
  const [body, country] = await Promise.all([getNationalBody(db, countryCode), getCountryName(db, countryCode, locale)]);
  if (!body || !country) return null;
  const name = locale === 'es' ? body.nameEs : body.nameEn;
  return {
    countryCode,
    country,
    body: body.acronym && !name.includes(body.acronym) ? `${name} (${body.acronym})` : name,
    hotline: body.hotline?.trim() || null,
    referralContact: body.referralContact?.trim() || null,
  };
}
