// The present's coverage, holders by sex and refreshers due are summed from report_holder_counts (holder-counts.ts):
// whole expiry months from the counts, the months a window's ends fall in row by row. This population goes through
// every write path that changes a holder — certificates issued, revoked (by the summaries and by the administrator),
// a person certified again at another institution, Básico and Actualización both held, a certificate that never
// expires, a sex answer changed on the profile, an account deactivated and reactivated, an account erased — and the
// figures are compared, at instants around month ends and expiries, with the definitions worked out here from the
// raw certificates and accounts, person by person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PROGRAMMES, type ProgrammeId } from '../../db/schema.ts';
import type { Actor } from '../../src/server/policy.ts';
import { revokeCertificate, setUserActive } from '../../src/server/admin/people.ts';
import { eraseAccount } from '../../src/server/privacy.ts';
import { updateOwnProfile } from '../../src/server/profile.ts';
import { coverageReport } from '../../src/server/reports/coverage.ts';
import { REFRESH_WINDOW_DAYS, refreshersByInstitution } from '../../src/server/reports/refreshers.ts';
import { holdersBySex, protectRow, SEX_GROUPS, type SexGroup } from '../../src/server/reports/sex.ts';
import { NO_EXPIRY, rebuildReportSummaries } from '../../src/server/reports/summary.ts';
import { SUPPRESSED } from '../../src/server/reports/table.ts';
import type { CountryScope, ReportFilters } from '../../src/server/reports/scope.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson } from './helpers/people.ts';
import { addPerson, anyInstitution, DAY, NOW, revoke, takeCourse } from './helpers/reports.ts';

let t: TestDatabase;
let admin: Actor;
const COURSE: Record<ProgrammeId, string> = {
  basico: 'basico-fundamentos',
  actualizacion: 'actualizacion-2026',
  especializado: 'especializado-investigacion',
  autocuidado: 'autocuidado-seguridad',
  medios: 'medios-cobertura-responsable',
};
const GT: CountryScope = { kind: 'country', countryCode: 'GT' };
const REGION: CountryScope = { kind: 'all' };

/** A person of `country` certified in `track`, completing `daysAgo` days before NOW with `validityDays` (null: never expires). */
async function certify(userId: number, country: string, institution: number, track: ProgrammeId, daysAgo: number, validityDays: number | null, cycle = 1) {
  const completedAt = NOW - daysAgo * DAY;
  return takeCourse(t.db, { userId, countryCode: country, institutionId: institution, courseId: COURSE[track], programme: track, enrolledAt: completedAt - 5 * DAY, startedAt: completedAt - 4 * DAY, completedAt, certificate: { validityDays }, cycle });
}

const actorOf = (id: number): Actor => ({ id, role: 'learner', countryCode: 'GT', specialistStatus: 'none', active: true });

beforeAll(async () => {
  t = await createTestDatabase();
  const a = await createPerson(t.db, { role: 'admin' });
  admin = { id: a.id, role: 'admin', countryCode: null, specialistStatus: 'none', active: true };
  const gt1 = await anyInstitution(t.db, 'GT', 0);
  const gt2 = await anyInstitution(t.db, 'GT', 1);
  const hn = await anyInstitution(t.db, 'HN', 0);
  // Expiries spread over the weeks around NOW (15 June 2026) and the refresher window's end, so every instant checked
  // has holders in the month it falls in, before and after it.
  const sexes = ['female', 'male', 'undisclosed', null] as const;
  for (let i = 0; i < 48; i++) {
    const country = i % 4 === 3 ? 'HN' : 'GT';
    const institution = country === 'HN' ? hn : i % 3 === 0 ? gt2 : gt1;
    const id = await addPerson(t.db, country, institution);
    await t.db.run(sql`UPDATE users SET sex = ${sexes[i % 4]} WHERE id = ${id}`);
    const track: ProgrammeId = i % 5 === 4 ? 'autocuidado' : 'basico';
    await certify(id, country, institution, track, 700 + (i % 12) * 3, track === 'autocuidado' && i % 2 === 0 ? null : 700 + (i * 7) % 120);
    if (i % 6 === 1) await certify(id, country, institution, 'actualizacion', 20 + i, 200 + i * 5); // refresher after Básico: the later one counts
    if (i % 8 === 2) await certify(id, country, institution === gt1 ? gt2 : gt1, 'basico', 30, 730, 2); // certified again elsewhere: counts there
  }
  const people = await t.db.all<{ id: number }>(sql`SELECT id FROM users WHERE role = 'learner' ORDER BY id`);
  const certs = await t.db.all<{ id: number; user_id: number }>(sql`SELECT id, user_id FROM certificates ORDER BY id`);
  await revoke(t.db, certs[3]!.id, NOW - 10 * DAY);
  await revokeCertificate(t.db, admin, certs[9]!.id, 'Emitido por error');
  await updateOwnProfile(t.db, actorOf(people[0]!.id), { position: null, sex: 'male' });
  await updateOwnProfile(t.db, actorOf(people[1]!.id), { position: null, sex: 'female' });
  await updateOwnProfile(t.db, actorOf(people[2]!.id), { position: null, sex: '' });
  await setUserActive(t.db, admin, people[5]!.id, false);
  await setUserActive(t.db, admin, people[6]!.id, false);
  await setUserActive(t.db, admin, people[6]!.id, true);
  await eraseAccount(t.db, people[13]!.id, { actorId: admin.id, now: NOW });
  await eraseAccount(t.db, people[7]!.id, { actorId: admin.id, now: NOW });
});
afterAll(() => t.close());

interface Holder {
  userId: number;
  track: ProgrammeId | 'refresh';
  countryCode: string;
  institutionId: number;
  validUntil: number;
  sex: SexGroup;
  counts: boolean; // active and not erased
}

/** Who holds what, from the raw rows: per person and track the latest certificate's place, the latest expiry, the account's state. */
async function holdersByDefinition(): Promise<Holder[]> {
  const rows = await t.db.all<{ id: number; user_id: number; programme: ProgrammeId; country_code: string; institution_id: number; issued_at: number; expires_at: number | null; sex: string | null; active: number; erased_at: number | null }>(sql`
    SELECT c.id, c.user_id, c.programme, c.country_code, c.institution_id, c.issued_at, c.expires_at, u.sex, u.active, u.erased_at
      FROM certificates c JOIN users u ON u.id = c.user_id WHERE c.revoked_at IS NULL ORDER BY c.issued_at, c.id`);
  const out = new Map<string, Holder>();
  for (const r of rows) {
    for (const track of r.programme === 'basico' || r.programme === 'actualizacion' ? [r.programme, 'refresh' as const] : [r.programme]) {
      const key = `${r.user_id}|${track}`;
      const before = out.get(key);
      out.set(key, {
        userId: Number(r.user_id),
        track,
        countryCode: r.country_code,
        institutionId: Number(r.institution_id),
        validUntil: Math.max(before?.validUntil ?? 0, r.expires_at === null ? NO_EXPIRY : Number(r.expires_at)),
        sex: r.sex === 'female' || r.sex === 'male' ? r.sex : 'notStated',
        counts: Number(r.active) === 1 && r.erased_at === null,
      });
    }
  }
  return [...out.values()];
}

const inScope = (h: Holder, scope: CountryScope) => scope.kind === 'all' || (scope.kind === 'country' && h.countryCode === scope.countryCode);

async function sectorOf(institution: number): Promise<string> {
  const [row] = await t.db.all<{ sector_code: string }>(sql`SELECT sector_code FROM institutions WHERE id = ${institution}`);
  return row!.sector_code;
}

async function expectDefinitions(now: number, scope: CountryScope, filters: ReportFilters = {}) {
  const sector = filters.sector;
  const sectors = new Map<number, string>();
  const keep = async (h: Holder) => {
    if (!inScope(h, scope)) return false;
    if (filters.institutionId !== undefined && h.institutionId !== filters.institutionId) return false;
    if (sector) {
      if (!sectors.has(h.institutionId)) sectors.set(h.institutionId, await sectorOf(h.institutionId));
      if (sectors.get(h.institutionId) !== sector) return false;
    }
    return true;
  };
  const holders: Holder[] = [];
  for (const h of await holdersByDefinition()) if (await keep(h)) holders.push(h);
  const label = `now ${new Date(now).toISOString()}, ${JSON.stringify(scope)} ${JSON.stringify(filters)}`;

  // Coverage: valid at now, per country, institution and track.
  const coverage = new Map<string, number>();
  for (const h of holders) if (h.track !== 'refresh' && h.validUntil > now) coverage.set(`${h.countryCode}|${h.institutionId}|${h.track}`, (coverage.get(`${h.countryCode}|${h.institutionId}|${h.track}`) ?? 0) + 1);
  const report = await coverageReport(t.db, scope, filters, { now });
  const got = new Map(report.holders.rows.filter((r) => Number(r.n) !== 0).map((r) => [`${r.country_code}|${r.institution_id}|${r.track}`, Number(r.n)]));
  expect(got, `coverage, ${label}`).toEqual(coverage);

  // By sex: the same holders' groups per track, protected as the page shows them.
  const bySex = new Map<ProgrammeId, Record<SexGroup, number>>();
  for (const h of holders) {
    if (h.track === 'refresh' || h.validUntil <= now) continue;
    const c = bySex.get(h.track) ?? { female: 0, male: 0, notStated: 0 };
    c[h.sex] += 1;
    bySex.set(h.track, c);
  }
  const expectedSex = PROGRAMMES.filter((p) => bySex.has(p)).map((track) => {
    const values = [...SEX_GROUPS.map((g) => bySex.get(track)![g]), SEX_GROUPS.reduce((s, g) => s + bySex.get(track)![g], 0)];
    const hidden = protectRow(values);
    return { track, cells: Object.fromEntries([...SEX_GROUPS, 'total'].map((g, j) => [g, hidden[j] ? SUPPRESSED : values[j]])) };
  });
  expect(await holdersBySex(t.db, scope, filters, { now }), `by sex, ${label}`).toEqual(expectedSex);

  // Refreshers due: the later Básico/Actualización expiry within the window, active accounts only.
  const limit = now + REFRESH_WINDOW_DAYS * DAY;
  const due = new Map<string, { expired: number; dueSoon: number }>();
  for (const h of holders) {
    if (h.track !== 'refresh' || !h.counts || h.validUntil > limit) continue;
    const key = `${h.countryCode}|${h.institutionId}`;
    const d = due.get(key) ?? { expired: 0, dueSoon: 0 };
    if (h.validUntil <= now) d.expired += 1;
    else d.dueSoon += 1;
    due.set(key, d);
  }
  const refreshers = await refreshersByInstitution(t.db, scope, filters, { now });
  expect(new Map(refreshers.map((r) => [`${r.countryCode}|${r.institutionId}`, { expired: r.expired, dueSoon: r.dueSoon }])), `refreshers, ${label}`).toEqual(due);
  return holders;
}

/** The instants checked: mid-month, a month's first and last millisecond, exactly at an expiry and around it. */
async function instants(): Promise<number[]> {
  const expiries = (await holdersByDefinition()).map((h) => h.validUntil).filter((v) => v !== NO_EXPIRY).sort((a, b) => a - b);
  const some = expiries.filter((_, i) => i % 9 === 0);
  return [
    NOW,
    Date.UTC(2026, 5, 1),
    Date.UTC(2026, 6, 1) - 1,
    Date.UTC(2026, 6, 1),
    Date.UTC(2026, 7, 20, 8),
    ...some.flatMap((v) => [v - 1, v, v + 1]),
    Date.UTC(2030, 0, 1),
  ];
}

describe('figures summed from report_holder_counts', () => {
  it('equal the definitions at every instant, scope and filter', async () => {
    const gt2 = await anyInstitution(t.db, 'GT', 1);
    const sector = await sectorOf(gt2);
    let seen = 0;
    for (const now of await instants()) {
      seen += (await expectDefinitions(now, GT)).filter((h) => h.validUntil > now).length;
      await expectDefinitions(now, REGION);
      await expectDefinitions(now, GT, { institutionId: gt2 });
      await expectDefinitions(now, REGION, { sector });
    }
    expect(seen).toBeGreaterThan(0); // the instants do cut through the holders
  });

  it('follow every write path: the counts equal report_holders counted, and report_holders the accounts', async () => {
    const counted = await t.db.all(sql`
      SELECT country_code, track, institution_id, CAST(strftime('%Y%m', valid_until / 1000, 'unixepoch') AS INTEGER) AS expiry_month, sex, active, count(*) AS n
        FROM report_holders GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`);
    const counts = await t.db.all(sql`SELECT country_code, track, institution_id, expiry_month, sex, active, n FROM report_holder_counts ORDER BY 1, 2, 3, 4, 5, 6`);
    expect(counts).toEqual(counted);
    const stale = await t.db.all(sql`
      SELECT h.user_id FROM report_holders h JOIN users u ON u.id = h.user_id
       WHERE h.sex <> CASE u.sex WHEN 'female' THEN 'female' WHEN 'male' THEN 'male' ELSE 'notStated' END
          OR h.active <> (u.active = 1 AND u.erased_at IS NULL)`);
    expect(stale).toEqual([]);
    // The paths above did change what the summary carries (else this test would prove nothing).
    expect(await t.db.all(sql`SELECT DISTINCT active FROM report_holders ORDER BY 1`)).toEqual([{ active: 0 }, { active: 1 }]);
  });

  it('are what a rebuild from the raw rows gives', async () => {
    const dump = () => t.db.all(sql`SELECT * FROM report_holder_counts ORDER BY 1, 2, 3, 4, 5, 6`);
    const holders = () => t.db.all(sql`SELECT * FROM report_holders ORDER BY 1, 2`);
    const [before, beforeHolders] = [await dump(), await holders()];
    await rebuildReportSummaries(t.db);
    expect(await holders()).toEqual(beforeHolders);
    expect(await dump()).toEqual(before);
  });
});
