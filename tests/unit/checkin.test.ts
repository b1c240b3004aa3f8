// QR check-in: the signed code (expiry, rotation, forgery) and the check-in itself on a real database (roster, idempotence,
// corrections audited, another country's committee refused).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkIn, openCheckInScreen, readCheckInCode, signCheckInCode } from '../../src/server/checkin/index.ts';
import { signingKey } from '../../src/server/checkin/code.ts';
import { DomainError } from '../../src/server/errors.ts';
import type { Actor } from '../../src/server/policy.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { addPerson, anyInstitution, NOW } from './helpers/reports.ts';
import { addParticipant, createWorkshopRow, markPresent } from './helpers/workshops.ts';

const KEY = 'k'.repeat(43);
const TTL = 10 * 60_000;

describe('check-in codes', () => {
  it('are accepted until they expire, between half and the whole lifetime after they are shown', () => {
    const code = signCheckInCode(KEY, 42, NOW);
    expect(code.expiresAt - NOW).toBeGreaterThan(TTL / 2);
    expect(code.expiresAt - NOW).toBeLessThanOrEqual(TTL);
    expect(readCheckInCode(KEY, code.code, NOW)).toEqual({ ok: true, sessionId: 42, expiresAt: code.expiresAt });
    expect(readCheckInCode(KEY, code.code, code.expiresAt - 1)).toMatchObject({ ok: true });
    expect(readCheckInCode(KEY, code.code, code.expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rotate: the same code within a half-lifetime, a new one after', () => {
    const start = Math.floor(NOW / (TTL / 2)) * (TTL / 2);
    expect(signCheckInCode(KEY, 42, start).code).toBe(signCheckInCode(KEY, 42, start + TTL / 2 - 1).code);
    expect(signCheckInCode(KEY, 42, start + TTL / 2).code).not.toBe(signCheckInCode(KEY, 42, start).code);
  });

  it('refuse a code signed with another key, for another session, or with a later expiry written in', () => {
    const { code, expiresAt } = signCheckInCode(KEY, 42, NOW);
    const [, , mac] = code.split('.');
    expect(readCheckInCode('other'.repeat(9), code, NOW)).toEqual({ ok: false, reason: 'forged' });
    expect(readCheckInCode(KEY, `43.${expiresAt}.${mac}`, NOW)).toEqual({ ok: false, reason: 'forged' });
    // A forged code is refused as forged even when its own date has passed.
    expect(readCheckInCode(KEY, `42.${expiresAt + 3_600_000}.${mac}`, expiresAt + 10 * TTL)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuse anything that is not a code', () => {
    for (const junk of [null, '', 'abc', '42.1.x', `0.${NOW}.${'a'.repeat(43)}`, `42.${NOW}.${'a'.repeat(42)}`, `42.${NOW}.${'a'.repeat(43)}.x`]) {
      expect(readCheckInCode(KEY, junk, NOW)).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('a scan before any screen showed a code', () => {
  it('is refused as not genuine and writes nothing (no key is made by a refused scan)', async () => {
    const t = await createTestDatabase();
    try {
      const learner: Actor = { id: 1, role: 'learner', countryCode: 'GT', specialistStatus: 'none', active: true };
      const { code } = signCheckInCode(KEY, 1, NOW);
      await expect(checkIn(t.db, learner, code, { now: NOW })).rejects.toMatchObject({ code: 'invalid', key: 'checkin.error.forged' });
      expect(await t.db.all(sql`SELECT purpose FROM signing_keys`)).toEqual([]);
    } finally {
      t.close();
    }
  });
});

describe('checking in', () => {
  let t: TestDatabase;
  let session: number;
  let otherSession: number;
  let laterSession: number;
  let attendee: Actor;
  let stranger: Actor;
  let committee: Actor;
  const actor = (id: number, role: Actor['role'] = 'learner', countryCode: string | null = 'GT'): Actor => ({ id, role, countryCode, specialistStatus: 'none', active: true });

  beforeAll(async () => {
    t = await createTestDatabase();
    const inst = await anyInstitution(t.db, 'GT');
    const staff = await addPerson(t.db, 'GT', inst);
    committee = actor(staff, 'committee');
    attendee = actor(await addPerson(t.db, 'GT', inst));
    stranger = actor(await addPerson(t.db, 'GT', inst));
    const w = await createWorkshopRow(t.db, { countryCode: 'GT', courseId: 'basico-fundamentos', sessions: [['2026-06-15', 4], ['2026-06-14', 4], ['2026-06-20', 4]], createdBy: staff });
    [session, otherSession, laterSession] = w.sessionIds as [number, number, number];
    await addParticipant(t.db, w.id, attendee.id, staff, NOW - 1000);
  });
  afterAll(() => t.close());

  const codeAt = async (sessionId: number, at = NOW) => signCheckInCode(await signingKey(t.db, 'checkin'), sessionId, at).code;
  const rows = () => t.db.all<{ present: number; client_id: string }>(sql`SELECT present, client_id FROM workshop_attendance WHERE session_id = ${session} AND user_id = ${attendee.id}`);
  const refusal = async (run: Promise<unknown>) => {
    const error = await run.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    return { code: (error as DomainError).code, key: (error as DomainError).key };
  };

  it('keeps one key per deployment', async () => {
    expect(await signingKey(t.db, 'checkin')).toBe(await signingKey(t.db, 'checkin'));
  });

  it('records a participant present once, however often they scan', async () => {
    const code = await codeAt(session);
    expect((await checkIn(t.db, attendee, code, { now: NOW + 1000 })).recorded).toBe(true);
    expect((await checkIn(t.db, attendee, code, { now: NOW + 2000 })).recorded).toBe(false);
    expect(await rows()).toEqual([{ present: 1, client_id: `checkin-${session}-${attendee.id}` }]);
  });

  it('turns an absence the facilitator ticked into presence, audited as a correction', async () => {
    await markPresent(t.db, otherSession, attendee.id, committee.id, NOW, false);
    expect((await checkIn(t.db, attendee, await codeAt(otherSession), { now: NOW })).recorded).toBe(true);
    const audit = await t.db.all<{ action: string; actor_id: number; before: string }>(sql`SELECT action, actor_id, before FROM audit_log WHERE target_id = ${String(otherSession)}`);
    expect(audit.map((a) => [a.action, a.actor_id, JSON.parse(a.before).present])).toEqual([['workshop.attendance.correct', attendee.id, false]]);
  });

  it('refuses someone not on the roster, an expired code and a forged one, each with its message', async () => {
    expect(await refusal(checkIn(t.db, stranger, await codeAt(session), { now: NOW }))).toEqual({ code: 'forbidden', key: 'checkin.error.notOnRoster' });
    const old = await codeAt(session, NOW - 60 * 60_000);
    expect(await refusal(checkIn(t.db, attendee, old, { now: NOW }))).toEqual({ code: 'conflict', key: 'checkin.error.expired' });
    const forged = signCheckInCode('not-the-key'.repeat(4), session, NOW).code;
    expect(await refusal(checkIn(t.db, attendee, forged, { now: NOW }))).toEqual({ code: 'invalid', key: 'checkin.error.forged' });
    const none = await t.db.all(sql`SELECT 1 FROM workshop_attendance WHERE user_id = ${stranger.id}`);
    expect(none).toEqual([]);
  });

  it('opens the screen for the workshop’s committee and the coordination, not for another country’s', async () => {
    const screen = await openCheckInScreen(t.db, committee, session, { now: NOW });
    expect(screen).toMatchObject({ participants: 1, present: 1 });
    expect(readCheckInCode(await signingKey(t.db, 'checkin'), screen.code.code, NOW)).toMatchObject({ ok: true, sessionId: session });
    await openCheckInScreen(t.db, actor(committee.id, 'coordinator', null), session, { now: NOW });
    expect(await refusal(openCheckInScreen(t.db, actor(committee.id, 'committee', 'HN'), session, { now: NOW }))).toEqual({ code: 'forbidden', key: 'errors.forbidden' });
    expect(await refusal(openCheckInScreen(t.db, attendee, session, { now: NOW }))).toEqual({ code: 'forbidden', key: 'errors.forbidden' });
  });

  it('takes no check-in for a day still to come', async () => {
    expect(await refusal(checkIn(t.db, attendee, await codeAt(laterSession), { now: NOW }))).toEqual({ code: 'conflict', key: 'workshops.attendance.future' });
  });

  it('takes no check-in once the workshop is closed', async () => {
    const code = await codeAt(session);
    await t.db.run(sql`UPDATE workshops SET state = 'closed'`);
    expect(await refusal(checkIn(t.db, attendee, code, { now: NOW }))).toEqual({ code: 'conflict', key: 'checkin.closed' });
    expect(await refusal(openCheckInScreen(t.db, committee, session, { now: NOW }))).toEqual({ code: 'conflict', key: 'checkin.closed' });
  });
});
