import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { listTargets, setTarget } from '../../src/server/reports/targets.ts';
import { coverageReport } from '../../src/server/reports/coverage.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, institutionId } from './helpers/reports.ts';

let t: TestDatabase;
let actorId: number;
const GT = { kind: 'country', countryCode: 'GT' } as const;
beforeAll(async () => {
  t = await createTestDatabase();
  actorId = await addPerson(t.db, 'GT', await institutionId(t.db, 'GT', 'IGM'), 'Comité');
});
afterAll(() => t.close());

describe('targets', () => {
  it('lists only the scope’s institutions, and a committee sets its own country’s targets, audited', async () => {
    const rows = await listTargets(t.db, GT);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => r.countryCode === 'GT')).toBe(true);
    const igm = await institutionId(t.db, 'GT', 'IGM');
    expect(await setTarget(t.db, GT, { institutionId: igm, programme: 'basico', target: 1234, actorId })).toEqual({ ok: true });
    expect((await coverageReport(t.db, GT, { institutionId: igm })).total.basico?.target).toBe(1234);
    const [audit] = await t.db.all<{ action: string; after: string }>(sql`SELECT action, after FROM audit_log WHERE action = 'targets.set'`);
    expect(JSON.parse(audit!.after)).toEqual({ basico: 1234 });
  });

  it('refuses another country’s institution and bad values, changing nothing', async () => {
    const inm = await institutionId(t.db, 'HN', 'INM');
    expect(await setTarget(t.db, GT, { institutionId: inm, programme: 'basico', target: 1, actorId })).toEqual({ ok: false, error: 'forbidden' });
    expect(await setTarget(t.db, GT, { institutionId: inm, programme: 'basico', target: -1, actorId })).toEqual({ ok: false, error: 'invalidTarget' });
    expect(await setTarget(t.db, GT, { institutionId: inm, programme: 'nada', target: 1, actorId })).toEqual({ ok: false, error: 'invalidProgramme' });
    expect(await setTarget(t.db, GT, { institutionId: 999999, programme: 'basico', target: 1, actorId })).toEqual({ ok: false, error: 'unknownInstitution' });
    expect((await coverageReport(t.db, { kind: 'country', countryCode: 'HN' }, { institutionId: inm })).total.basico?.target).not.toBe(1);
  });
});
