// The monthly digest (issue 15.2) on a fixture clock and a real database: who gets one (committees their country,
// the coordination the region, observers and learners none), the month boundary in the reader's zone (Guatemala
// UTC−6 against the coordination's UTC), once per month across runs and racing connections, the figures of the
// reader's own country only, the opt-out, and "send me this digest now".
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/client.ts';
import type { Role } from '../../db/schema.ts';
import { formatNumber } from '../../src/i18n/format.ts';
import { DomainError } from '../../src/server/errors.ts';
import type { Actor } from '../../src/server/policy.ts';
import type { Term, ViewTable } from '../../src/server/reports/table.ts';
import {
  buildDigest,
  digestAudience,
  monthPeriod,
  optOut,
  previewDigest,
  reminderKindsFor,
  reportedMonth,
  runDigests,
  sendDigestNow,
  type DigestLocalizer,
} from '../../src/server/reminders/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, anyInstitution, clearTargets, DAY, setTarget, takeCourse } from './helpers/reports.ts';

const SECRET = 'unit-test-secret';
const ORIGIN = 'https://capacita.example.org';
const HOUR = 3_600_000;

/** Terms as their raw references ("GT", "basico", a message key): enough to see which figures a digest holds. */
function words(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'object') return String(value);
  const term = value as Term;
  if ('country' in term) return `country:${term.country}`;
  if ('track' in term) return `track:${term.track}`;
  if ('sector' in term) return `sector:${term.sector}`;
  if ('message' in term) return term.message;
  if ('join' in term) return term.join.map(words).join(' · ');
  return JSON.stringify(term);
}
const localize: DigestLocalizer = async (table: ViewTable) => ({ title: words(table.title), columns: table.columns.map((c) => words(c.label)), rows: table.rows.map((r) => r.map(words)) });
const options = { origin: ORIGIN, secret: SECRET, localize };

// 1 December 2026: 00:00 UTC is 18:00 on 30 November in Guatemala (UTC−6, no summer time); Guatemala's December
// begins at 06:00 UTC.
const DEC_1_UTC = Date.UTC(2026, 11, 1);
const DEC_1_GT = Date.UTC(2026, 11, 1, 6);
const MID_NOVEMBER = Date.UTC(2026, 10, 15, 12);

let t: TestDatabase;
let gt: number;
let hn: number;
beforeEach(async () => {
  t = await createTestDatabase();
  gt = await anyInstitution(t.db, 'GT');
  hn = await anyInstitution(t.db, 'HN');
  await clearTargets(t.db);
});
afterEach(() => t.close());

async function staff(role: Role, countryCode: string | null, name: string): Promise<Actor & { email: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}@digest.test`;
  const [row] = await t.db.all<{ id: number }>(sql`INSERT INTO users (name, email, email_key, role, country_code) VALUES (${name}, ${email}, ${email}, ${role}, ${countryCode}) RETURNING id`);
  return { id: Number(row!.id), role, countryCode, specialistStatus: 'none', active: true, email };
}

/** A holder whose Básico certificate (and so its refresher date) lapses at `lapsesAt`. */
async function holder(countryCode: 'GT' | 'HN', lapsesAt: number, name: string): Promise<number> {
  const institution = countryCode === 'GT' ? gt : hn;
  const userId = await addPerson(t.db, countryCode, institution, name);
  await takeCourse(t.db, { userId, countryCode, institutionId: institution, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: lapsesAt - 740 * DAY, startedAt: lapsesAt - 740 * DAY, completedAt: lapsesAt - 730 * DAY, certificate: { validityDays: 730 } });
  return userId;
}

const digests = (db: Database) =>
  db.all<{ user_id: number; kind: string; due_key: string }>(sql`SELECT user_id, kind, due_key FROM reminders_sent WHERE kind LIKE 'digest%' ORDER BY user_id, due_key`);
const outbox = (db: Database) => db.all<{ kind: string; to_address: string; subject: string; text: string; list_unsubscribe: string | null }>(sql`SELECT * FROM mail_outbox ORDER BY id`);

describe('who gets a digest', () => {
  it('committees their country, the coordination the region, observers and learners none', async () => {
    const committee = await staff('committee', 'GT', 'Comité GT');
    const coordinator = await staff('coordinator', null, 'Coordinación');
    const observer = await staff('observer', null, 'Observadora');
    const learner = await staff('learner', 'GT', 'Aprendiz');
    expect(digestAudience(committee)).toEqual({ kind: 'country', countryCode: 'GT' });
    expect(digestAudience(coordinator)).toEqual({ kind: 'region' });
    expect(digestAudience(observer)).toBeNull();
    expect(digestAudience(learner)).toBeNull();
    expect(digestAudience({ ...committee, active: false })).toBeNull();
    expect(reminderKindsFor(committee)).toContain('digest');
    expect(reminderKindsFor(observer)).not.toContain('digest');
    expect(await buildDigest(t.db, observer, monthPeriod('2026-11', 'UTC', DEC_1_UTC), 'es')).toBeNull();
    await expect(previewDigest(t.db, observer, options)).rejects.toThrow(DomainError);
    await expect(sendDigestNow(t.db, learner, options)).rejects.toThrow(DomainError);

    await runDigests(t.db, { ...options, now: DEC_1_GT + HOUR });
    expect((await digests(t.db)).map((d) => d.user_id)).toEqual([committee.id, coordinator.id]);
  });

  it('sends the month that ended in the reader’s zone, once: Guatemala six hours after UTC', async () => {
    const committee = await staff('committee', 'GT', 'Comité GT');
    const coordinator = await staff('coordinator', null, 'Coordinación');
    expect(reportedMonth(DEC_1_UTC + HOUR, 'America/Guatemala')).toBe('2026-10');
    expect(reportedMonth(DEC_1_UTC + HOUR, 'UTC')).toBe('2026-11');

    // Mid-November: October is the month that ended for both.
    expect((await runDigests(t.db, { ...options, now: MID_NOVEMBER })).queued).toBe(2);
    // 01:00 UTC on 1 December: November has ended in UTC, not yet in Guatemala (19:00 on the 30th).
    expect((await runDigests(t.db, { ...options, now: DEC_1_UTC + HOUR })).queued).toBe(1);
    // 00:30 in Guatemala: its November has ended.
    expect((await runDigests(t.db, { ...options, now: DEC_1_GT + 30 * 60_000 })).queued).toBe(1);
    // Later runs, a restart, a clock set back into November: nothing more.
    for (const now of [DEC_1_GT + 2 * HOUR, DEC_1_GT + 10 * DAY, DEC_1_UTC - HOUR]) expect((await runDigests(t.db, { ...options, now })).queued).toBe(0);
    expect(await digests(t.db)).toEqual([
      { user_id: committee.id, kind: 'digest_monthly', due_key: '2026-10' },
      { user_id: committee.id, kind: 'digest_monthly', due_key: '2026-11' },
      { user_id: coordinator.id, kind: 'digest_monthly', due_key: '2026-10' },
      { user_id: coordinator.id, kind: 'digest_monthly', due_key: '2026-11' },
    ]);
    expect(await outbox(t.db)).toHaveLength(4);
  });

  it('never goes to who turned digests off, deactivated, erased or unconfirmed accounts', async () => {
    const optedOut = await staff('committee', 'GT', 'Comité Baja');
    await optOut(t.db, optedOut.id, 'digest');
    const inactive = await staff('committee', 'GT', 'Comité Inactivo');
    await t.db.run(sql`UPDATE users SET active = 0 WHERE id = ${inactive.id}`);
    const erased = await staff('committee', 'GT', 'Comité Borrado');
    await t.db.run(sql`UPDATE users SET erased_at = ${MID_NOVEMBER} WHERE id = ${erased.id}`);
    const unconfirmed = await staff('committee', 'GT', 'Comité Sin Confirmar');
    await t.db.run(sql`UPDATE users SET email_verified = 0 WHERE id = ${unconfirmed.id}`);
    const other = await staff('committee', 'GT', 'Comité Activo');
    await optOut(t.db, other.id, 'refresher'); // another kind turned off: the digest still goes
    await runDigests(t.db, { ...options, now: DEC_1_GT + HOUR });
    expect((await digests(t.db)).map((d) => d.user_id)).toEqual([other.id]);
    // The one a person asks for goes whatever the preference: they asked.
    await sendDigestNow(t.db, optedOut, { ...options, now: DEC_1_GT + HOUR });
    expect((await outbox(t.db)).map((m) => m.to_address)).toEqual([other.email, optedOut.email]);
  });

  it('queues one digest per person between two connections racing', async () => {
    for (let i = 0; i < 12; i++) await staff('committee', i % 2 ? 'GT' : 'HN', `Comité ${i}`);
    const [file] = await t.db.all<{ file: string }>(sql`SELECT file FROM pragma_database_list WHERE name = 'main'`);
    const other = openDatabase({ url: `file:${file!.file}` });
    try {
      const now = DEC_1_GT + HOUR;
      const [a, b] = await Promise.all([runDigests(t.db, { ...options, now, batchSize: 3 }), runDigests(other, { ...options, now, batchSize: 3 })]);
      expect(a.queued + b.queued).toBe(12);
      expect(await outbox(t.db)).toHaveLength(12);
      expect(new Set((await outbox(t.db)).map((m) => m.to_address)).size).toBe(12);
    } finally {
      other.$client.close();
    }
  });
});

describe('what a digest holds', () => {
  async function population() {
    await setTarget(t.db, gt, 'basico', 10);
    // Lapses 23:00 on 30 November in Guatemala (05:00 UTC on 1 December): November there, December in UTC.
    await holder('GT', Date.UTC(2026, 11, 1, 5), 'Ana Noviembre');
    // 00:30 on 1 December in Guatemala: December.
    await holder('GT', Date.UTC(2026, 11, 1, 6, 30), 'Beto Diciembre');
    // Lapsed in October.
    await holder('GT', Date.UTC(2026, 9, 20, 12), 'Carla Octubre');
    // Valid for a long time yet.
    await holder('GT', Date.UTC(2027, 11, 1, 12), 'Dora Vigente');
    // Honduras: lapsed in November too, and its own requests and registrations.
    await holder('HN', Date.UTC(2026, 10, 20, 12), 'Hugo Honduras');
    const requested = await addPerson(t.db, 'GT', gt, 'Elsa Solicita');
    await t.db.run(sql`UPDATE users SET specialist_status = 'requested' WHERE id = ${requested}`);
    const requestedHn = await addPerson(t.db, 'HN', hn, 'Hilda Solicita');
    await t.db.run(sql`UPDATE users SET specialist_status = 'requested' WHERE id = ${requestedHn}`);
    const unconfirmed = await addPerson(t.db, 'GT', gt, 'Fidel Sin Confirmar');
    await t.db.run(sql`UPDATE users SET email_verified = 0 WHERE id = ${unconfirmed}`);
    for (const name of ['Iris Sin Confirmar', 'Juan Sin Confirmar']) {
      const id = await addPerson(t.db, 'HN', hn, name);
      await t.db.run(sql`UPDATE users SET email_verified = 0 WHERE id = ${id}`);
    }
  }

  it('a committee: its institutions against their targets, who lapsed in its month, its requests and registrations — no other country', async () => {
    await population();
    const committee = await staff('committee', 'GT', 'Comité GT');
    const period = monthPeriod('2026-11', 'America/Guatemala', DEC_1_GT + HOUR);
    expect(period.from).toBe(Date.UTC(2026, 10, 1, 6));
    expect(period.until).toBe(DEC_1_GT);
    const content = (await buildDigest(t.db, committee, period, 'es'))!;
    expect(content.audience).toEqual({ kind: 'country', countryCode: 'GT' });
    expect(content.lapsed!.total).toBe(1);
    expect(content.lapsed!.people.map((p) => p.name)).toEqual(['Ana Noviembre']);
    expect(content.pendingSpecialists).toBe(1);
    expect(content.unverified).toBe(1);
    // Coverage per institution: the dashboard's view, one column per track; the institution with its target.
    expect(content.coverage.id).toBe('coverage-institutions');
    const institutionNames = await t.db.all<{ name: string; country_code: string }>(sql`SELECT name, country_code FROM institutions`);
    const gtNames = new Set(institutionNames.filter((i) => i.country_code === 'GT').map((i) => i.name));
    // Institutions only Honduras has (some names, such as Ministerio Público, exist in both).
    const hnNames = institutionNames.filter((i) => i.country_code === 'HN' && !gtNames.has(i.name)).map((i) => i.name);
    expect(hnNames.length).toBeGreaterThan(0);
    const rowNames = content.coverage.rows.map((r) => String(r[0]));
    expect(rowNames.every((n) => [...gtNames].some((g) => n.startsWith(g)))).toBe(true);
    // At the end of Guatemala's November, Beto's and Dora's certificates are valid (Ana's lapsed at 23:00, Carla's in
    // October): 2 of the institution's target of 10.
    const withTarget = content.coverage.rows.find((r) => typeof r[1] === 'string' && r[1].includes('/ 10'));
    expect(withTarget?.[1]).toBe(`2 / 10 (${formatNumber('es', 0.2, 'percent')})`);

    const [mail] = await (async () => {
      await runDigests(t.db, { ...options, now: DEC_1_GT + HOUR });
      return outbox(t.db);
    })();
    expect(mail!.kind).toBe('digest_monthly');
    expect(mail!.subject).toBe('Capacita: resumen de noviembre de 2026 — Guatemala');
    expect(mail!.text).toContain('Ana Noviembre');
    expect(mail!.text).toContain('30 de noviembre de 2026');
    for (const elsewhere of ['Beto Diciembre', 'Carla Octubre', 'Hugo Honduras', 'Hilda Solicita', 'Honduras', ...hnNames]) expect(mail!.text, elsewhere).not.toContain(elsewhere);
    expect(mail!.text).toContain('Solicitudes de unidad especializada pendientes: 1');
    expect(mail!.text).toContain('Registros con el correo sin confirmar: 1');
    // Links from configuration, each to the list behind its figure; the signed unsubscribe link for digests.
    expect(mail!.text).toContain(`${ORIGIN}/es/dashboard/country/GT/refreshers`);
    expect(mail!.text).toContain(`${ORIGIN}/es/admin/specialists`);
    expect(mail!.text).toContain(`${ORIGIN}/es/dashboard`);
    expect(mail!.list_unsubscribe).toMatch(new RegExp(`^${ORIGIN}/es/unsubscribe\\?u=${committee.id}&k=digest&s=`));
  });

  it('the coordination: the regional comparison by country, the region’s counts, no names', async () => {
    await population();
    const coordinator = await staff('coordinator', null, 'Coordinación');
    await t.db.run(sql`UPDATE users SET locale = 'en' WHERE id = ${coordinator.id}`);
    const content = (await buildDigest(t.db, coordinator, monthPeriod('2026-11', 'UTC', DEC_1_UTC + HOUR), 'en'))!;
    expect(content.audience).toEqual({ kind: 'region' });
    expect(content.coverage.id).toBe('region-coverage');
    const countries = content.coverage.rows.map((r) => words(r[0]));
    expect(countries).toEqual(expect.arrayContaining(['country:GT', 'country:HN']));
    expect(content.lapsed).toBeNull();
    expect(content.pendingSpecialists).toBe(2);
    expect(content.unverified).toBe(3);
    await runDigests(t.db, { ...options, now: DEC_1_UTC + HOUR });
    const [mail] = await outbox(t.db);
    expect(mail!.subject).toBe('Capacita: November 2026 digest — Region');
    expect(mail!.text).not.toContain('Ana Noviembre');
  });

  it('in English for an English reader, and the month so far on demand, at most once in ten minutes', async () => {
    await population();
    const committee = await staff('committee', 'GT', 'Comité GT');
    await t.db.run(sql`UPDATE users SET locale = 'en' WHERE id = ${committee.id}`);
    const now = Date.UTC(2026, 10, 25, 15);
    const preview = await previewDigest(t.db, committee, { ...options, now });
    expect(preview.subject).toBe('Capacita: November 2026 digest (so far) — Guatemala');
    expect(preview.text).toContain('Pending specialised-unit requests: 1');
    await sendDigestNow(t.db, committee, { ...options, now });
    await expect(sendDigestNow(t.db, committee, { ...options, now: now + 5 * 60_000 })).rejects.toMatchObject({ code: 'tooMany' });
    // Without the unsubscribe secret there are no digests to ask for (the links could not be signed).
    await expect(sendDigestNow(t.db, committee, { ...options, secret: null, now: now + 11 * 60_000 })).rejects.toMatchObject({ code: 'unavailable', key: 'reminders.digest.unavailable' });
    await sendDigestNow(t.db, committee, { ...options, now: now + 11 * 60_000 });
    const mails = await outbox(t.db);
    expect(mails.map((m) => m.kind)).toEqual(['digest_now', 'digest_now']);
    // Asking does not count as the monthly one.
    await runDigests(t.db, { ...options, now: DEC_1_GT + HOUR });
    expect((await outbox(t.db)).map((m) => m.kind)).toEqual(['digest_now', 'digest_now', 'digest_monthly']);
  });
});
