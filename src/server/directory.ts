// Countries, national bodies, sectors and institutions: the reference data every form and report names.
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { countries, institutions, nationalBodies, sectors, type Locale } from '../../db/schema.ts';

export interface CountryOption {
  code: string;
  name: string;
}

export async function listCountries(db: Database, locale: Locale): Promise<CountryOption[]> {
  const rows = await db.select().from(countries).where(eq(countries.member, true));
  return rows
    .map((c) => ({ code: c.code, name: locale === 'es' ? c.nameEs : c.nameEn }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
}

export interface InstitutionOption {
  id: number;
  countryCode: string;
  sectorCode: string;
  name: string;
  acronym: string | null;
}

export async function listActiveInstitutions(db: Database, countryCode?: string): Promise<InstitutionOption[]> {
  const where = countryCode ? and(eq(institutions.active, true), eq(institutions.countryCode, countryCode)) : eq(institutions.active, true);
  return db
    .select({ id: institutions.id, countryCode: institutions.countryCode, sectorCode: institutions.sectorCode, name: institutions.name, acronym: institutions.acronym })
    .from(institutions)
    .where(where)
    .orderBy(asc(institutions.countryCode), asc(institutions.name));
}

export async function listSectors(db: Database, locale: Locale) {
  const rows = await db.select().from(sectors).orderBy(asc(sectors.sortOrder));
  return rows.map((s) => ({ code: s.code, name: locale === 'es' ? s.nameEs : s.nameEn }));
}

export async function getInstitution(db: Database, id: number) {
  const [row] = await db.select().from(institutions).where(eq(institutions.id, id));
  return row;
}

export async function getCountryName(db: Database, code: string, locale: Locale): Promise<string | undefined> {
  const [row] = await db.select().from(countries).where(eq(countries.code, code));
  return row ? (locale === 'es' ? row.nameEs : row.nameEn) : undefined;
}

export async function getNationalBody(db: Database, countryCode: string) {
  const [row] = await db.select().from(nationalBodies).where(eq(nationalBodies.countryCode, countryCode));
  return row;
}
