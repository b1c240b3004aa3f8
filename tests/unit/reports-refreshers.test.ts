// Refreshers due: the expiry boundaries, Actualización renewing Básico, the named list and its scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_WINDOW_DAYS, refresherPeople, refreshersByInstitution } from '../../src/server/reports/refreshers.ts';
import { REFRESHER_NOTICE_DAYS } from '../../src/server/learning/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, DAY, institutionId, NOW, takeCourse } from './helpers/reports.ts';

const GT = { kind: 'country', countryCode: 'GT' } as const;
let t: TestDatabase;
let igm: number;

/** A Básico certificate that expires at exactly `expiresAt` (issued 730 days before). */
async function basicoExpiring(userId: number, inst: number, expiresAt: number, country = 'GT') {
  const completedAt = expiresAt - 730 * DAY;
  await takeCourse(t.db, { userId, countryCode: country, institutionId: inst, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: completedAt - 5 * DAY, startedAt: completedAt - 5 * DAY, completedAt, certificate: { validityDays: 730 } });
}

beforeAll(async () => {
  t = await createTestDatabase();
  igm = await institutionId(t.db, 'GT', 'IGM');
  const mp = await institutionId(t.db, 'GT', 'MP');
  const inm = await institutionId(t.db, 'HN', 'INM');
  await basicoExpiring(await addPerson(t.db, 'GT', igm, 'Ana Expirada'), igm, NOW - 100 * DAY); // expired
  await basicoExpiring(await addPerson(t.db, 'GT', igm, 'Beto Justo'), igm, NOW); // expires exactly now → expired
  await basicoExpiring(await addPerson(t.db, 'GT', igm, 'Carla Pronto'), igm, NOW + 1); // due soon
  await basicoExpiring(await addPerson(t.db, 'GT', mp, 'Dario Limite'), mp, NOW + REFRESH_WINDOW_DAYS * DAY); // exactly at the end of the window → due soon
  await basicoExpiring(await addPerson(t.db, 'GT', mp, 'Eva Fuera'), mp, NOW + REFRESH_WINDOW_DAYS * DAY + 1); // not yet due
  // Renewed: Básico expired, but an Actualización taken later is valid for two more years → not due.
  const renewed = await addPerson(t.db, 'GT', mp, 'Flor Renovada');
  await basicoExpiring(renewed, mp, NOW - 10 * DAY);
  await takeCourse(t.db, { userId: renewed, countryCode: 'GT', institutionId: mp, courseId: 'actualizacion-2026', programme: 'actualizacion', enrolledAt: NOW - 40 * DAY, startedAt: NOW - 40 * DAY, completedAt: NOW - 30 * DAY, certificate: { validityDays: 730 } });
  // A deactivated account is not listed (nor counted).
  await basicoExpiring(await addPerson(t.db, 'GT', igm, 'Gil Inactivo', false), igm, NOW - DAY);
  // Honduras.
  await basicoExpiring(await addPerson(t.db, 'HN', inm, 'Hugo Honduras'), inm, NOW - DAY, 'HN');
});
afterAll(() => t.close());

describe('refreshers due', () => {
  it('uses the window learners are told about: one number', () => {
    expect(REFRESH_WINDOW_DAYS).toBe(REFRESHER_NOTICE_DAYS);
  });

  it('counts expired (≤ now) and due within the window (≤ now + the window) by institution', async () => {
    const rows = await refreshersByInstitution(t.db, GT, {}, { now: NOW });
    const mp = await institutionId(t.db, 'GT', 'MP');
    expect(rows.find((r) => r.institutionId === igm)).toMatchObject({ expired: 2, dueSoon: 1 });
    expect(rows.find((r) => r.institutionId === mp)).toMatchObject({ expired: 0, dueSoon: 1 });
    expect(rows.every((r) => r.countryCode === 'GT')).toBe(true);
  });

  it('lists the names for the committee, soonest first, without other countries or inactive accounts', async () => {
    const people = await refresherPeople(t.db, GT, {}, { now: NOW });
    expect(people.map((p) => [p.name, p.expired])).toEqual([
      ['Ana Expirada', true],
      ['Beto Justo', true],
      ['Carla Pronto', false],
      ['Dario Limite', false],
    ]);
    const all = await refresherPeople(t.db, { kind: 'all' }, {}, { now: NOW });
    expect(all.map((p) => p.name)).toContain('Hugo Honduras');
  });

  it('moves with time: 91 days later everyone in the list has expired and Eva is due', async () => {
    const later = await refresherPeople(t.db, GT, {}, { now: NOW + 91 * DAY });
    expect(later.filter((p) => p.expired).map((p) => p.name)).toEqual(['Ana Expirada', 'Beto Justo', 'Carla Pronto', 'Dario Limite', 'Eva Fuera']);
  });
});
