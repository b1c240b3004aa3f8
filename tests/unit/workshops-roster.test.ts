// The roster after it was made: a person taken off it before the workshop closes (audited, their marks with them),
// refused once it closed; an erased account on it (no name left, still counted); and closing, which reads what it
// needs for the whole roster in a fixed number of queries. On real libSQL temp databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/libsql';
import type { Database } from '../../db/client.ts';
import * as schema from '../../db/schema.ts';
import { auditLog, workshopAttendance, workshopParticipants } from '../../db/schema.ts';
import { eraseAccount } from '../../src/server/privacy.ts';
import {
  addParticipants,
  closeWorkshop,
  createWorkshop,
  listWorkshops,
  loadAttendanceSheet,
  loadRoster,
  loadSessions,
  loadSessionTotals,
  loadWorkshop,
  markWorkshopHeld,
  recordSessionAttendance,
  removeParticipant,
} from '../../src/server/workshops/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, type TestActor } from './helpers/admin-people.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { workshopInput } from './helpers/workshops.ts';

const { course } = fixtureCourse('fx-basico');
const NOW = Date.UTC(2026, 2, 10, 15);
const DAY = 86_400_000;

const input = workshopInput(course.id, { titleEs: 'Taller en Huehuetenango', titleEn: 'Workshop in Huehuetenango', place: 'Salón parroquial' });

describe('the roster after it was made', () => {
  let t: TestDatabase;
  let committee: TestActor;
  let otherCommittee: TestActor;

  beforeEach(async () => {
    t = await createTestDatabase();
    committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT', name: 'Comité GT' });
    otherCommittee = await createPerson(t.db, { role: 'committee', countryCode: 'HN' });
  });
  afterEach(() => t.close());

  const officials = (names: string[]) => Promise.all(names.map((name) => createPerson(t.db, { role: 'learner', countryCode: 'GT', name })));

  /** A held workshop with these people, each present on both days. */
  async function attended(people: TestActor[]) {
    const { id } = await createWorkshop(t.db, committee, input, { courseIds: [course.id], now: NOW - 20 * DAY });
    await addParticipants(t.db, committee, id, people.map((p) => p.email), { now: NOW - 20 * DAY });
    await markWorkshopHeld(t.db, committee, id, { now: NOW });
    for (const [index, session] of (await loadSessions(t.db, id)).entries()) {
      await recordSessionAttendance(t.db, committee, { sessionId: session.id, listed: people.map((p) => p.id), present: people.map((p) => p.id), clientId: `sheet-${id}-${index}`, now: NOW });
    }
    return id;
  }

  describe('removing a person', () => {
    it('takes them off with their marks, audits both, and leaves the day totals right', async () => {
      const [ana, luis] = await officials(['Ana Pérez', 'Luis Gómez']);
      const id = await attended([ana!, luis!]);
      expect(await removeParticipant(t.db, committee, id, luis!.id, { now: NOW })).toEqual({ removed: true, marks: 2 });

      expect((await loadRoster(t.db, await loadWorkshop(t.db, id))).map((p) => p.userId)).toEqual([ana!.id]);
      expect(await t.db.select().from(workshopAttendance).where(eq(workshopAttendance.userId, luis!.id))).toHaveLength(0);
      for (const totals of (await loadSessionTotals(t.db, id)).values()) expect(totals).toEqual({ recorded: 1, present: 1 });
      const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'workshop.participant.remove'));
      expect(audit).toMatchObject({ actorId: committee.id, targetId: String(id), countryCode: 'GT', before: { userId: luis!.id, attendance: [{ day: '2026-03-02', present: true }, { day: '2026-03-03', present: true }] } });

      // The same removal posted again changes nothing; closing credits only who is still on the roster.
      expect(await removeParticipant(t.db, committee, id, luis!.id, { now: NOW })).toEqual({ removed: false, marks: 0 });
      expect((await closeWorkshop(t.db, committee, id, course, { now: NOW })).outcomes.credited).toBe(1);
    });

    it('is refused once the workshop is closed, and to another country’s committee', async () => {
      const [ana] = await officials(['Ana Pérez']);
      const id = await attended([ana!]);
      await expect(removeParticipant(t.db, otherCommittee, id, ana!.id)).rejects.toMatchObject({ code: 'forbidden' });
      await closeWorkshop(t.db, committee, id, course, { now: NOW });
      await expect(removeParticipant(t.db, committee, id, ana!.id)).rejects.toMatchObject({ code: 'conflict', key: 'workshops.roster.removeClosed' });
      expect(await t.db.select().from(workshopParticipants).where(eq(workshopParticipants.workshopId, id))).toHaveLength(1);
      expect(await t.db.select().from(workshopAttendance).where(eq(workshopAttendance.userId, ana!.id))).toHaveLength(2);
    });
  });

  describe('an erased participant', () => {
    it('stays on the roster and the tick list, nameless and last, and still counts', async () => {
      const [ana, zoe] = await officials(['Ana Pérez', 'Zoe Ruiz']);
      const id = await attended([ana!, zoe!]);
      await eraseAccount(t.db, ana!.id, { actorId: ana!.id, now: NOW });

      const roster = await loadRoster(t.db, await loadWorkshop(t.db, id));
      expect(roster.map((p) => [p.userId, p.name, p.erased, p.tally.percent])).toEqual([
        [zoe!.id, 'Zoe Ruiz', false, 100],
        [ana!.id, '', true, 100],
      ]);
      const [day1] = await loadSessions(t.db, id);
      const sheet = await loadAttendanceSheet(t.db, committee, day1!.id);
      expect(sheet.rows.map((r) => [r.userId, r.erased, r.present])).toEqual([
        [zoe!.id, false, true],
        [ana!.id, true, true],
      ]);
      expect((await listWorkshops(t.db, committee)).find((w) => w.id === id)?.participants).toBe(2);
      expect((await loadSessionTotals(t.db, id)).get(day1!.id)).toEqual({ recorded: 2, present: 2 });
    });
  });

  describe('closing', () => {
    /** The statements a close runs, counted through a second handle on the same database with a logger. */
    async function statementsToClose(size: number): Promise<number> {
      const people = await officials(Array.from({ length: size }, (_, i) => `Persona ${size}-${i}`));
      const id = await attended(people);
      const statements: string[] = [];
      const counted = drizzle(t.db.$client, { schema, logger: { logQuery: (query) => statements.push(query) } }) as Database;
      const result = await closeWorkshop(counted, committee, id, course, { now: NOW });
      expect(result.outcomes.credited).toBe(size);
      // Issuing a certificate checks its enrolment has none yet (learning/certificates.ts): one guard per certificate
      // written, not a read of what closing decides on.
      const issueGuard = /from "certificates" where "certificates"\."enrolment_id" = \?/i;
      return statements.filter((s) => /^\s*select/i.test(s) && !issueGuard.test(s)).length;
    }

    it('reads what it needs for the whole roster at once: a roster three times larger runs no more reads', async () => {
      const small = await statementsToClose(2);
      const large = await statementsToClose(6);
      expect(large).toBe(small);
    });
  });
});
