// Which time zone a person reads times in: their country's (countries.time_zone, reference data). Staff who belong to
// no country (regional coordination, observers, platform admins) read UTC, and every time they see says "UTC".
import { countries } from '../../db/schema.ts';
import type { Database } from '../../db/client.ts';

export const NO_COUNTRY_TIME_ZONE = 'UTC';

// Reference data, not people, and never edited while a server runs (db/setup.ts writes it): read once per handle.
const zonesByDb = new WeakMap<Pick<Database, 'select'>, Promise<Map<string, string>>>();

function countryZones(db: Pick<Database, 'select'>): Promise<Map<string, string>> {
  let zones = zonesByDb.get(db);
  if (!zones) {
    zones = db
      .select({ code: countries.code, timeZone: countries.timeZone })
      .from(countries)
      .then((rows) => new Map(rows.map((r) => [r.code, r.timeZone])));
    zones.catch(() => zonesByDb.delete(db));
    zonesByDb.set(db, zones);
  }
  return zones;
}

/** The IANA zone of a country, or UTC for no country (or one the reference data does not know). */
export async function countryTimeZone(db: Pick<Database, 'select'>, countryCode: string | null | undefined): Promise<string> {
  if (!countryCode) return NO_COUNTRY_TIME_ZONE;
  return (await countryZones(db)).get(countryCode) ?? NO_COUNTRY_TIME_ZONE;
}
