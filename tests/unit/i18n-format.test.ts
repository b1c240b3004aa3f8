// Dates, times and numbers as every page, export and PDF shows them (src/i18n/format.ts), at fixed instants.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFor, formatDate, formatDateTime, formatNumber, formatTime, zoneLabel } from '../../src/i18n/format.ts';
import { countryTimeZone, NO_COUNTRY_TIME_ZONE } from '../../src/server/time-zone.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

// 10 March 2026, 15:18 UTC; and 5 July 2026, 04:30 UTC (still 4 July in the isthmus).
const MARCH = Date.UTC(2026, 2, 10, 15, 18);
const JULY_NIGHT = Date.UTC(2026, 6, 5, 4, 30);

describe('times in the reader’s zone, with the zone said', () => {
  it('UTC−6 (Guatemala): the quiz deadline reads 9:18 a.m., not 3:18 p.m.', () => {
    expect(formatTime('es', MARCH, 'America/Guatemala')).toBe('9:18 a.m. (hora de Guatemala, UTC−6)');
    expect(formatTime('en', MARCH, 'America/Guatemala')).toBe('09:18 (Guatemala Time, UTC−6)');
  });

  it('UTC−5 (Panamá) and UTC−4 (República Dominicana), zones without summer time', () => {
    expect(formatDateTime('es', MARCH, 'America/Panama', 'medium')).toBe('10 mar 2026, 10:18 a.m. (hora de Panamá, UTC−5)');
    expect(formatDateTime('es', MARCH, 'America/Santo_Domingo')).toBe('10 de marzo de 2026, 11:18 a.m. (hora de República Dominicana, UTC−4)');
    // DST-free: the same offset in July as in March.
    expect(zoneLabel('en', JULY_NIGHT, 'America/Panama')).toBe('Panama Time, UTC−5');
    expect(zoneLabel('en', JULY_NIGHT, 'America/Santo_Domingo')).toBe('Dominican Republic Time, UTC−4');
    expect(zoneLabel('es', JULY_NIGHT, 'America/Costa_Rica')).toMatch(/UTC−6$/);
  });

  it('staff without a country read UTC, and it says so once (no "UTC, UTC")', () => {
    expect(formatDateTime('es', MARCH, 'UTC')).toBe('10 de marzo de 2026, 3:18 p.m. (UTC)');
    expect(formatDateTime('en', MARCH, 'UTC')).toBe('10 March 2026 at 15:18 (UTC)');
  });

  it('"Cifras al …" ends with the zone, never with a double period', () => {
    const line = `Cifras al ${clockFor('es', 'America/Tegucigalpa').dateTime(MARCH)}.`;
    expect(line).toBe('Cifras al 10 de marzo de 2026, 9:18 a.m. (hora de Honduras, UTC−6).');
    expect(line).not.toMatch(/\.\.$/);
  });

  it('a calendar day is the country’s day: 04:30 UTC on 5 July is still 4 July in Guatemala', () => {
    expect(formatDate('es', JULY_NIGHT, 'America/Guatemala')).toBe('4 de julio de 2026');
    expect(formatDate('es', JULY_NIGHT, 'UTC')).toBe('5 de julio de 2026');
    expect(formatDate('en', JULY_NIGHT, 'America/Guatemala', 'medium')).toBe('4 Jul 2026');
  });
});

describe('one number format per locale', () => {
  // Latin American Spanish (es-419, the coalition's countries) writes 0.7 and 12,345 — as English does. The chart used
  // to say "0,7" (the browser's generic 'es') beside a table saying "0.7": one formatter, one answer.
  it('shares: 0.007 → "0.7 %" in both languages, never "0,7 %"; points as a chart axis holds them', () => {
    expect(formatNumber('es', 0.007, 'percent')).toBe('0.7 %');
    expect(formatNumber('en', 0.007, 'percent')).toBe('0.7 %');
    expect(formatNumber('es', 80, 'percent', { points: true })).toBe('80.0 %');
  });
  it('other numbers keep two decimals (item analysis 0.26 is not "0,2")', () => {
    expect(formatNumber('es', 0.26)).toBe('0.26');
    expect(formatNumber('en', 0.264)).toBe('0.26');
    expect(formatNumber('es', 12345, 'count')).toBe('12,345');
    expect(formatNumber('en', 12345, 'count')).toBe('12,345');
  });
});

describe('the zone of a person', () => {
  let t: TestDatabase;
  beforeAll(async () => (t = await createTestDatabase()));
  afterAll(() => t.close());

  it('is their country’s from the reference data; UTC without a country', async () => {
    expect(await countryTimeZone(t.db, 'GT')).toBe('America/Guatemala');
    expect(await countryTimeZone(t.db, 'DO')).toBe('America/Santo_Domingo');
    expect(await countryTimeZone(t.db, null)).toBe(NO_COUNTRY_TIME_ZONE);
    expect(await countryTimeZone(t.db, 'ZZ')).toBe('UTC');
  });
});
