// A facilitator's attendance marks made offline (issue 17.2): queued on the device with a client id each, sent to the
// learner's sync (src/server/offline/sync.ts) as items of kind `attendance`, applied through the workshops domain's
// recordAttendance once each, and refused with a reason the page shows (closed meanwhile, taken off the roster, no
// longer allowed). On real libSQL temp databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, offlineSyncReceipts, workshopAttendance } from '../../db/schema.ts';
import { parseOfflineItem, syncOfflineItems, type ApplyOfflineItem } from '../../src/server/offline/sync.ts';
import { addParticipants, applyQueuedMark, closeWorkshop, createWorkshop, loadSessions, markWorkshopHeld, removeParticipant } from '../../src/server/workshops/index.ts';
import type { Actor } from '../../src/server/policy.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, type TestActor } from './helpers/admin-people.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { workshopInput } from './helpers/workshops.ts';

const { course } = fixtureCourse('fx-basico');
const NOW = Date.UTC(2026, 2, 10, 15);
const DAY = 86_400_000;
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const input = workshopInput(course.id, { titleEs: 'Taller en Cobán', titleEn: 'Workshop in Cobán', place: 'Salón municipal', capacity: 10 });

/** What the device sends: one person, one day. */
const mark = (n: number, session: number, person: number, present: boolean) => ({ id: uuid(n), kind: 'attendance', lang: 'es', queuedAt: NOW + n, session, person, present });

/** The endpoint's applier for attendance items (src/app/offline-sync.ts), over the test database. */
function applier(t: TestDatabase, actor: Actor): ApplyOfflineItem {
  return async (item) => {
    if (item.kind !== 'attendance') throw new Error('only attendance marks here');
    const applied = await applyQueuedMark(t.db, actor, { sessionId: item.session, userId: item.person, present: item.present, clientId: item.id, now: NOW });
    return applied.ok ? { outcome: 'applied', result: { outcome: applied.outcome } } : { outcome: 'rejected', reason: applied.reason };
  };
}

describe('attendance items', () => {
  it('are one person on one day with a boolean mark; anything else is refused, keeping the id', () => {
    expect(parseOfflineItem(mark(1, 3, 4, true)).ok).toBe(true);
    for (const bad of [
      { ...mark(2, 3, 4, true), present: 'yes' },
      { ...mark(3, 3, 4, true), person: undefined },
      { ...mark(4, 3, 4, true), session: -1 },
      { ...mark(5, 3, 4, true), session: 1.5 },
      { ...mark(6, 3, 4, true), kind: 'attendanceSheet' },
    ]) {
      expect(parseOfflineItem(bad)).toEqual({ ok: false, id: bad.id });
    }
  });
});

describe('syncing attendance marks', () => {
  let t: TestDatabase;
  let committee: TestActor;
  let ana: TestActor;
  let luis: TestActor;
  let workshopId: number;
  let day1: number;
  let day2: number;

  beforeEach(async () => {
    t = await createTestDatabase();
    committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT', name: 'Comité GT' });
    ana = await createPerson(t.db, { role: 'learner', countryCode: 'GT', name: 'Ana Pérez' });
    luis = await createPerson(t.db, { role: 'learner', countryCode: 'GT', name: 'Luis Gómez' });
    workshopId = (await createWorkshop(t.db, committee, input, { courseIds: [course.id], now: NOW - 20 * DAY })).id;
    await addParticipants(t.db, committee, workshopId, [ana.email, luis.email], { now: NOW - 20 * DAY });
    await markWorkshopHeld(t.db, committee, workshopId, { now: NOW });
    [day1, day2] = (await loadSessions(t.db, workshopId)).map((s) => s.id) as [number, number];
  });
  afterEach(() => t.close());

  const marksOf = (sessionId: number) => t.db.select().from(workshopAttendance).where(eq(workshopAttendance.sessionId, sessionId));
  const corrections = () => t.db.select().from(auditLog).where(eq(auditLog.action, 'workshop.attendance.correct'));

  it('records each mark once: the same queue sent again answers the same, repeated, and writes nothing more', async () => {
    const queue = [mark(1, day1, ana.id, true), mark(2, day1, luis.id, false), mark(3, day2, ana.id, true)];
    const first = await syncOfflineItems(t.db, committee.id, queue, applier(t, committee), NOW);
    expect(first.map((a) => [a.outcome, a.result?.outcome, a.repeated])).toEqual([
      ['applied', 'recorded', false],
      ['applied', 'recorded', false],
      ['applied', 'recorded', false],
    ]);
    const again = await syncOfflineItems(t.db, committee.id, queue, applier(t, committee), NOW);
    expect(again.map((a) => [a.outcome, a.repeated])).toEqual([
      ['applied', true],
      ['applied', true],
      ['applied', true],
    ]);
    expect((await marksOf(day1)).map((r) => [r.userId, r.present, r.recordedBy, r.clientId]).sort()).toEqual(
      [
        [ana.id, true, committee.id, uuid(1)],
        [luis.id, false, committee.id, uuid(2)],
      ].sort(),
    );
    expect(await marksOf(day2)).toHaveLength(1);
    const receipts = await t.db.select().from(offlineSyncReceipts).where(eq(offlineSyncReceipts.userId, committee.id));
    expect(receipts.map((r) => r.kind)).toEqual(['attendance', 'attendance', 'attendance']);
  });

  it('two deliveries of the same queue at once record each mark once', async () => {
    const queue = [mark(1, day1, ana.id, true), mark(2, day1, luis.id, true)];
    await Promise.all([syncOfflineItems(t.db, committee.id, queue, applier(t, committee), NOW), syncOfflineItems(t.db, committee.id, queue, applier(t, committee), NOW)]);
    expect(await marksOf(day1)).toHaveLength(2);
    expect(await corrections()).toHaveLength(0);
  });

  it('a changed mark is a correction, audited with what it was, like the tick list', async () => {
    await syncOfflineItems(t.db, committee.id, [mark(1, day1, luis.id, false)], applier(t, committee), NOW);
    const [answer] = await syncOfflineItems(t.db, committee.id, [mark(2, day1, luis.id, true)], applier(t, committee), NOW);
    expect(answer).toMatchObject({ outcome: 'applied', result: { outcome: 'corrected' } });
    const [audit] = await corrections();
    expect(audit).toMatchObject({ actorId: committee.id, before: { userId: luis.id, present: false }, after: { userId: luis.id, present: true } });
  });

  it('explains a mark it cannot take, keeps the reason, and never applies it later by accident', async () => {
    const stranger = await createPerson(t.db, { role: 'committee', countryCode: 'HN' });
    const [forbidden] = await syncOfflineItems(t.db, stranger.id, [mark(1, day1, ana.id, true)], applier(t, stranger), NOW);
    expect(forbidden).toMatchObject({ outcome: 'rejected', reason: 'workshops.offline.forbidden' });

    const [unknown] = await syncOfflineItems(t.db, committee.id, [mark(2, 999_999, ana.id, true)], applier(t, committee), NOW);
    expect(unknown).toMatchObject({ outcome: 'rejected', reason: 'workshops.offline.unknownSession' });

    await removeParticipant(t.db, committee, workshopId, luis.id, { now: NOW });
    const [offRoster] = await syncOfflineItems(t.db, committee.id, [mark(3, day1, luis.id, true)], applier(t, committee), NOW);
    expect(offRoster).toMatchObject({ outcome: 'rejected', reason: 'workshops.offline.notOnRoster' });

    // Closed while the mark waited on the device: refused with the workshop's reason, and again when sent again.
    const waiting = mark(4, day2, ana.id, true);
    await closeWorkshop(t.db, committee, workshopId, course, { now: NOW });
    const [closed] = await syncOfflineItems(t.db, committee.id, [waiting], applier(t, committee), NOW);
    expect(closed).toMatchObject({ outcome: 'rejected', reason: 'workshops.error.closed', repeated: false });
    const [again] = await syncOfflineItems(t.db, committee.id, [waiting], applier(t, committee), NOW);
    expect(again).toMatchObject({ outcome: 'rejected', reason: 'workshops.error.closed', repeated: true });
    expect(await t.db.select().from(workshopAttendance).where(and(eq(workshopAttendance.sessionId, day2), eq(workshopAttendance.userId, ana.id)))).toHaveLength(0);
  });
});
