// The optional profile fields: what is stored (src/server/profile.ts), and the one place the sex answer is read —
// counts per track with every cell under 5 hidden and no hidden cell recoverable from the totals (reports/sex.ts).
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPosition, checkProfile, loadOwnProfile, updateOwnProfile } from '../../src/server/profile.ts';
import { holdersBySex, protectRow } from '../../src/server/reports/sex.ts';
import { SUPPRESSED } from '../../src/server/reports/table.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, DAY, institutionId, NOW, takeCourse } from './helpers/reports.ts';

let t: TestDatabase;
beforeEach(async () => (t = await createTestDatabase()));
afterEach(() => t.close());

describe('position and sex on the profile', () => {
  it('keeps a position in one line, refuses control characters and more than 160 characters', () => {
    expect(checkPosition('  Inspectora,   puesto  fronterizo ')).toEqual({ ok: true, value: 'Inspectora, puesto fronterizo' });
    expect(checkPosition('')).toEqual({ ok: true, value: null });
    expect(checkPosition('a'.repeat(161)).ok).toBe(false);
    expect(checkPosition('Jefa\u0007').ok).toBe(false);
    expect(() => checkProfile({ position: 'x', sex: 'other' })).toThrow(/errors.sexInvalid/);
    expect(checkProfile({ position: null, sex: '' })).toEqual({ position: null, sex: null });
  });

  it('is set by its owner, audited without the values', async () => {
    const gt = await institutionId(t.db, 'GT', 'IGM');
    const id = await addPerson(t.db, 'GT', gt);
    const actor = { id, role: 'learner' as const, countryCode: 'GT', specialistStatus: 'none' as const, active: true };
    expect(await updateOwnProfile(t.db, actor, { position: 'Delegada, aeropuerto La Aurora', sex: 'undisclosed' })).toEqual({ changed: true });
    expect(await loadOwnProfile(t.db, id)).toEqual({ position: 'Delegada, aeropuerto La Aurora', sex: 'undisclosed' });
    expect(await updateOwnProfile(t.db, actor, { position: 'Delegada, aeropuerto La Aurora', sex: 'undisclosed' })).toEqual({ changed: false });
    const audit = await t.db.all<{ action: string; before_json: string | null; after_json: string | null }>(sql`SELECT * FROM audit_log WHERE target_id = ${String(id)}`);
    expect(audit.map((a) => a.action)).toEqual(['account.profile']);
    expect(JSON.stringify(audit)).not.toMatch(/undisclosed|Aurora/);
  });
});

describe('holders by sex', () => {
  async function holders(country: string, acronym: string, sexes: (string | null)[], programme: 'basico' | 'medios' = 'basico') {
    const inst = await institutionId(t.db, country, acronym);
    for (const sex of sexes) {
      const userId = await addPerson(t.db, country, inst);
      await t.db.run(sql`UPDATE users SET sex = ${sex} WHERE id = ${userId}`);
      const course = programme === 'basico' ? 'basico-fundamentos' : 'medios-cobertura-responsable';
      await takeCourse(t.db, { userId, countryCode: country, institutionId: inst, courseId: course, programme, enrolledAt: NOW - 20 * DAY, startedAt: NOW - 19 * DAY, completedAt: NOW - 10 * DAY });
    }
  }
  const gt = { kind: 'country' as const, countryCode: 'GT' };

  it('counts each group per track, with "prefer not to say" and "not answered" together', async () => {
    await holders('GT', 'IGM', [...Array(6).fill('female'), ...Array(5).fill('male'), 'undisclosed', null, null, 'undisclosed', null]);
    await holders('HN', 'INM', Array(7).fill('female')); // another country: not in Guatemala's figures
    expect(await holdersBySex(t.db, gt, {}, { now: NOW })).toEqual([{ track: 'basico', cells: { female: 6, male: 5, notStated: 5, total: 16 } }]);
  });

  it('hides a group under 5, and a second cell of its row so that it is not the total minus the others', async () => {
    await holders('GT', 'IGM', [...Array(9).fill('female'), ...Array(2).fill('male'), ...Array(6).fill(null)]);
    const [row] = await holdersBySex(t.db, gt, {}, { now: NOW });
    expect(row!.cells.male).toBe(SUPPRESSED);
    expect(row!.cells.total).toBe(17);
    const shown = [row!.cells.female, row!.cells.notStated].filter((v) => v !== SUPPRESSED);
    expect(shown.length).toBeLessThanOrEqual(1); // two unknowns in the row: neither can be worked out
  });

  it('leaves out tracks nobody holds', async () => {
    expect(await holdersBySex(t.db, gt, {}, { now: NOW })).toEqual([]);
  });
});

describe('one row’s protection', () => {
  it('follows protect.ts’s rules for a row whose total is published', () => {
    expect(protectRow([6, 5, 5, 16])).toEqual([false, false, false, false]);
    expect(protectRow([9, 2, 6, 17])).toEqual([false, true, true, false]); // the smallest other cell goes too
    expect(protectRow([9, 2, 0, 11])).toEqual([true, true, true, false]); // 2 + 0 < 5 would tell "both tiny"
    expect(protectRow([2, 1, 1, 4])).toEqual([true, true, true, true]);
  });
});
