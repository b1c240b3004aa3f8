// A committee's reminder to its refresher list (issue 15.3): its own country only, the people the list shows less
// opt-outs, a confirmed count, one per person a week, throttled per country, audited with the first mail.
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { optOut, previewCommitteeMessage, sendCommitteeMessage, COMMITTEE_SENDS_PER_DAY } from '../../src/server/reminders/index.ts';
import { DomainError } from '../../src/server/errors.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, type TestActor } from './helpers/admin-people.ts';
import { addPerson, anyInstitution, DAY, takeCourse } from './helpers/reports.ts';

const NOW = Date.UTC(2026, 5, 15, 12);
const base = { origin: 'https://capacita.example.org', secret: 's', refresherCourseId: 'actualizacion-2026', now: NOW, filters: {} };

let t: TestDatabase;
let committeeGT: TestActor;
beforeEach(async () => {
  t = await createTestDatabase();
  committeeGT = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
});
afterEach(() => t.close());

async function holder(countryCode: string, lapsesIn: number): Promise<number> {
  const institution = await anyInstitution(t.db, countryCode);
  const userId = await addPerson(t.db, countryCode, institution);
  const done = NOW + lapsesIn * DAY - 730 * DAY;
  await takeCourse(t.db, { userId, countryCode, institutionId: institution, courseId: 'basico-fundamentos', programme: 'basico', enrolledAt: done - DAY, startedAt: done - DAY, completedAt: done, certificate: { validityDays: 730 } });
  return userId;
}

const code = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return `${error.code} ${error.key}`;
    throw error;
  }
  return 'ok';
};

describe('committee reminders', () => {
  it('go to the people of the own country’s refresher list, less opt-outs, and are audited', async () => {
    const due = await holder('GT', 30);
    const lapsed = await holder('GT', -10);
    const later = await holder('GT', 200); // not on the list (beyond 90 days)
    const optedOut = await holder('GT', 20);
    await optOut(t.db, optedOut, 'committee');
    await holder('HN', 30); // another country's
    const preview = await previewCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'GT' });
    expect(preview).toMatchObject({ listed: 3, recipients: 2, skipped: 1 });
    expect(preview.sample!.subject).toContain('su Actualización está pendiente');
    expect(preview.sample!.listUnsubscribe).toMatch(/\/es\/unsubscribe\?u=\d+&k=committee&s=/);

    expect(await code(() => sendCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'GT', confirmedCount: 3 }))).toBe('conflict reminders.committee.changed');
    expect(await sendCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'GT', confirmedCount: 2, ip: '203.0.113.9' })).toEqual({ queued: 2 });
    const mail = await t.db.all<{ to_address: string }>(sql`SELECT to_address FROM mail_outbox WHERE kind = 'committee_reminder'`);
    expect(mail).toHaveLength(2);
    const sent = await t.db.all<{ user_id: number }>(sql`SELECT user_id FROM reminders_sent WHERE kind = 'committee_message' ORDER BY user_id`);
    expect(sent.map((r) => Number(r.user_id))).toEqual([due, lapsed].sort((a, b) => a - b));
    expect(sent.some((r) => Number(r.user_id) === later)).toBe(false);
    const audit = await t.db.all<{ actor_id: number; country_code: string; ip: string; after: string }>(sql`SELECT * FROM audit_log WHERE action = 'people.message'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: committeeGT.id, country_code: 'GT', ip: '203.0.113.9' });
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ listed: 3, recipients: 2 });

    // Everyone on the list got one this week: nobody to send to.
    expect(await code(() => sendCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'GT', confirmedCount: 0, now: NOW + DAY }))).toBe('invalid reminders.committee.nobody');
  });

  it('are refused for another country and for observers', async () => {
    await holder('HN', 30);
    const observer = await createPerson(t.db, { role: 'observer', countryCode: null });
    expect(await code(() => previewCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'HN' }))).toBe('forbidden errors.forbidden');
    expect(await code(() => sendCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'HN', confirmedCount: 1 }))).toBe('forbidden errors.forbidden');
    expect(await code(() => previewCommitteeMessage(t.db, observer, { ...base, countryCode: 'HN' }))).toBe('forbidden errors.forbidden');
    expect(await t.db.all(sql`SELECT * FROM mail_outbox`)).toHaveLength(0);
  });

  it('are throttled per country', async () => {
    for (let i = 0; i < COMMITTEE_SENDS_PER_DAY; i++) {
      await holder('GT', 30);
      expect(await sendCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'GT', confirmedCount: 1, now: NOW + i * 60_000 })).toEqual({ queued: 1 });
    }
    await holder('GT', 30);
    expect(await code(() => sendCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'GT', confirmedCount: 1, now: NOW + 10 * 60_000 }))).toBe('tooMany reminders.committee.throttled');
    expect(await sendCommitteeMessage(t.db, committeeGT, { ...base, countryCode: 'GT', confirmedCount: 1, now: NOW + DAY + 60_000 })).toEqual({ queued: 1 });
  });
});

describe('committee reminders without their configuration', () => {
  it('are unavailable, with nothing queued, when the unsubscribe secret or the Actualización course is missing', async () => {
    await holder('GT', 30);
    expect(await code(() => sendCommitteeMessage(t.db, committeeGT, { ...base, secret: null, countryCode: 'GT', confirmedCount: 1 }))).toBe('unavailable reminders.committee.unavailable');
    expect(await code(() => sendCommitteeMessage(t.db, committeeGT, { ...base, refresherCourseId: null, countryCode: 'GT', confirmedCount: 1 }))).toBe('unavailable reminders.committee.unavailable');
    // Another country's list is still refused as not theirs, whatever the configuration.
    expect(await code(() => sendCommitteeMessage(t.db, committeeGT, { ...base, secret: null, countryCode: 'HN', confirmedCount: 1 }))).toBe('forbidden errors.forbidden');
    expect(await t.db.all(sql`SELECT * FROM mail_outbox`)).toHaveLength(0);
  });
});

describe('invitations can be sent again', () => {
  it('to a person who has not chosen a password yet, with a new link, throttled and audited; never to an account in use', async () => {
    const { inviteUser } = await import('../../src/server/admin/invitations.ts');
    const institution = await anyInstitution(t.db, 'GT');
    const invite = (email: string, now: number) => inviteUser(t.db, committeeGT, { name: 'Invitada', email, institutionId: institution, role: 'learner', locale: 'es' }, { origin: base.origin, now });
    const first = await invite('pendiente@x.test', NOW);
    expect(await invite('Pendiente@x.test', NOW + 11 * 60_000)).toEqual({ userId: first.userId, resent: true });
    expect(await code(() => invite('pendiente@x.test', NOW + 12 * 60_000))).toBe('tooMany admin.invite.resentRecently');
    const tokens = await t.db.all<{ used_at: number | null }>(sql`SELECT used_at FROM email_tokens WHERE user_id = ${first.userId} ORDER BY created_at`);
    expect(tokens.map((r) => r.used_at === null)).toEqual([false, true]);
    expect(await t.db.all(sql`SELECT * FROM mail_outbox WHERE kind = 'invitation'`)).toHaveLength(2);
    expect(await t.db.all(sql`SELECT * FROM audit_log WHERE action = 'user.reinvite' AND target_id = ${String(first.userId)}`)).toHaveLength(1);

    const active = await createPerson(t.db, { role: 'learner', countryCode: 'GT', email: 'activa@x.test', passwordHash: 'x' });
    expect(await code(() => invite(active.email, NOW))).toBe('conflict admin.invite.emailTaken');
    const hn = await createPerson(t.db, { role: 'learner', countryCode: 'HN', email: 'hn@x.test' });
    expect(await code(() => invite(hn.email, NOW))).toBe('conflict admin.invite.emailTaken');
  });
});
