// Coverage on a hand-made population whose right answers are worked out in the comments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coverageByCountry, coverageReport } from '../../src/server/reports/coverage.ts';
import { rebuildReportSummaries } from '../../src/server/reports/summary.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, clearTargets, DAY, institutionId, NOW, revoke, setTarget, takeCourse } from './helpers/reports.ts';

const GT = { kind: 'country', countryCode: 'GT' } as const;
let t: TestDatabase;
let igm: number, mp: number, mspas: number, inm: number;

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  await clearTargets(db);
  igm = await institutionId(db, 'GT', 'IGM'); // migration
  mp = await institutionId(db, 'GT', 'MP'); // prosecution
  mspas = await institutionId(db, 'GT', 'MSPAS'); // health
  inm = await institutionId(db, 'HN', 'INM');
  await setTarget(db, igm, 'basico', 10);
  await setTarget(db, mp, 'basico', 4);
  await setTarget(db, mp, 'especializado', 2);
  await setTarget(db, mspas, 'basico', 5);
  await setTarget(db, inm, 'basico', 8);
  const basico = (userId: number, inst: number, completedAt: number, validityDays: number | null = 730, country = 'GT') =>
    takeCourse(db, { userId, countryCode: country, institutionId: inst, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: completedAt - 20 * DAY, startedAt: completedAt - 19 * DAY, completedAt, certificate: { validityDays } });

  // IGM: 3 valid holders; 1 expired (completed 800 days ago, valid 730); 1 enrolled without completing → 3 / 10.
  for (let i = 0; i < 3; i++) await basico(await addPerson(db, 'GT', igm), igm, NOW - 100 * DAY);
  await basico(await addPerson(db, 'GT', igm), igm, NOW - 800 * DAY);
  await takeCourse(db, { userId: await addPerson(db, 'GT', igm), countryCode: 'GT', institutionId: igm, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: NOW - 10 * DAY, startedAt: NOW - 9 * DAY });
  // MP: 2 valid basico holders, 1 revoked → 2 / 4; one of them holds two Especializado certificates → counted once: 1 / 2.
  const fiscal = await addPerson(db, 'GT', mp);
  await basico(fiscal, mp, NOW - 300 * DAY);
  await basico(await addPerson(db, 'GT', mp), mp, NOW - 30 * DAY);
  const revoked = await basico(await addPerson(db, 'GT', mp), mp, NOW - 30 * DAY);
  await revoke(db, revoked.certificateId!, NOW - DAY);
  for (const course of ['especializado-investigacion', 'especializado-proteccion']) {
    await takeCourse(db, { userId: fiscal, countryCode: 'GT', institutionId: mp, courseId: course, programme: 'especializado', enrolledAt: NOW - 200 * DAY, startedAt: NOW - 200 * DAY, completedAt: NOW - 150 * DAY, certificate: { validityDays: 1095 } });
  }
  // MSPAS: one certificate without expiry → 1 / 5.
  await basico(await addPerson(db, 'GT', mspas), mspas, NOW - 1000 * DAY, null);
  // Honduras: 6 holders → 6 / 8 (never in Guatemala's figures).
  for (let i = 0; i < 6; i++) await basico(await addPerson(db, 'HN', inm), inm, NOW - 50 * DAY, 730, 'HN');
});
afterAll(() => t.close());

describe('coverage', () => {
  it('counts valid, unrevoked certificates per institution against its target', async () => {
    const r = await coverageReport(t.db, GT, {}, { now: NOW });
    const by = (id: number) => r.institutions.find((i) => i.institutionId === id)!.tracks;
    expect(by(igm).basico).toEqual({ holders: 3, target: 10, rate: 0.3 });
    expect(by(mp).basico).toEqual({ holders: 2, target: 4, rate: 0.5 });
    expect(by(mp).especializado).toEqual({ holders: 1, target: 2, rate: 0.5 });
    expect(by(mspas).basico).toEqual({ holders: 1, target: 5, rate: 0.2 });
    expect(r.total.basico).toEqual({ holders: 6, target: 19, rate: 6 / 19 });
    expect(r.institutions.every((i) => i.countryCode === 'GT')).toBe(true);
  });

  it('adds up by sector', async () => {
    const r = await coverageReport(t.db, GT, {}, { now: NOW });
    const sector = (code: string) => r.sectors.find((s) => s.sector === code)!.tracks.basico;
    expect(sector('migration')).toEqual({ holders: 3, target: 10, rate: 0.3 });
    expect(sector('prosecution')).toEqual({ holders: 2, target: 4, rate: 0.5 });
    expect(sector('health')).toEqual({ holders: 1, target: 5, rate: 0.2 });
  });

  it('applies the sector and institution filters', async () => {
    expect((await coverageReport(t.db, GT, { sector: 'prosecution' }, { now: NOW })).total.basico).toEqual({ holders: 2, target: 4, rate: 0.5 });
    expect((await coverageReport(t.db, GT, { institutionId: igm }, { now: NOW })).total.basico?.holders).toBe(3);
    expect((await coverageReport(t.db, GT, { programme: 'especializado' }, { now: NOW })).tracks).toEqual(['especializado']);
  });

  it('gives the same figures from certificates at a moment in the past as from the summary now', async () => {
    const now = await coverageReport(t.db, GT, {}, { now: NOW });
    const past = await coverageReport(t.db, GT, {}, { now: NOW + 1, at: NOW });
    expect(past.total).toEqual(now.total);
    // 60 days ago: IGM 3 (the 800-day-old certificate had expired 10 days before), MP only the fiscal (the other
    // two were certified 30 days ago; the revoked one never counts), MSPAS 1 → 5.
    const before = await coverageReport(t.db, GT, {}, { now: NOW, at: NOW - 60 * DAY });
    expect(before.total.basico?.holders).toBe(5);
    // 75 days ago the 800-day-old certificate was still valid (it expired 70 days ago) → 6.
    expect((await coverageReport(t.db, GT, {}, { now: NOW, at: NOW - 75 * DAY })).total.basico?.holders).toBe(6);
  });

  it('compares countries for the region, and a rebuild from raw rows gives the same answer', async () => {
    const region = await coverageByCountry(t.db, { kind: 'all' }, {}, { now: NOW });
    expect(region.countries.find((c) => c.countryCode === 'HN')!.tracks.basico).toEqual({ holders: 6, target: 8, rate: 0.75 });
    expect(region.total.basico?.holders).toBe(12);
    await rebuildReportSummaries(t.db);
    expect((await coverageByCountry(t.db, { kind: 'all' }, {}, { now: NOW })).total).toEqual(region.total);
  });

  it('shows nothing to a scope of no country', async () => {
    const none = await coverageReport(t.db, { kind: 'none' }, {}, { now: NOW });
    expect(none.institutions).toEqual([]);
  });
});
