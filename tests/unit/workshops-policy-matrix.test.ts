// The authorisation matrix of the workshop actions added after the first cut: taking a person off a roster and a
// queued (offline) attendance mark. Every role × a workshop of their own country, another country's and a regional
// one, through the domain functions on a real database. Expected by hand: workshop.manage is the committee's own
// country, or coordinator and admin anywhere (the regional one too); a learner never, whatever learning.take allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../db/schema.ts';
import { addParticipants, applyQueuedMark, createWorkshop, loadSessions, markWorkshopHeld, removeParticipant, type WorkshopInput } from '../../src/server/workshops/index.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, type TestActor } from './helpers/admin-people.ts';
import { fixtureCourse } from './helpers/fixture-courses.ts';
import { workshopInput } from './helpers/workshops.ts';

const { course } = fixtureCourse('fx-basico');
const NOW = Date.UTC(2026, 2, 10, 15);
type Where = 'own' | 'other' | 'region';
type Outcome = 'ok' | 'forbidden';

const EXPECTED: Record<Role, Record<Where, Outcome>> = {
  learner: { own: 'forbidden', other: 'forbidden', region: 'forbidden' },
  specialist: { own: 'forbidden', other: 'forbidden', region: 'forbidden' },
  journalist: { own: 'forbidden', other: 'forbidden', region: 'forbidden' },
  committee: { own: 'ok', other: 'forbidden', region: 'forbidden' },
  coordinator: { own: 'ok', other: 'ok', region: 'ok' },
  observer: { own: 'forbidden', other: 'forbidden', region: 'forbidden' },
  admin: { own: 'ok', other: 'ok', region: 'ok' },
};

const input = (countryCode: string | null): WorkshopInput =>
  workshopInput(course.id, { countryCode, place: 'Sala', facilitators: 'Equipo', capacity: 100, endsOn: '2026-03-02', sessions: [{ day: '2026-03-02', hours: 4 }] });

describe('workshop roster and queued attendance, by role and place', () => {
  let t: TestDatabase;
  const actors = new Map<Role, TestActor>();
  const workshops = new Map<Where, { id: number; session: number; people: TestActor[] }>();
  let counter = 0;

  beforeAll(async () => {
    t = await createTestDatabase();
    for (const role of ROLES) actors.set(role, await createPerson(t.db, { role, countryCode: role === 'coordinator' || role === 'admin' || role === 'observer' ? null : 'GT' }));
    const coordinator = actors.get('coordinator')!;
    for (const [where, country] of [['own', 'GT'], ['other', 'HN'], ['region', null]] as const) {
      const people = await Promise.all(ROLES.map(() => createPerson(t.db, { role: 'learner', countryCode: country ?? 'SV' })));
      const { id } = await createWorkshop(t.db, coordinator, input(country), { courseIds: [course.id], now: NOW - 30 * 86_400_000 });
      await addParticipants(t.db, coordinator, id, people.map((p) => p.email), { now: NOW - 30 * 86_400_000 });
      await markWorkshopHeld(t.db, coordinator, id, { now: NOW });
      workshops.set(where, { id, session: (await loadSessions(t.db, id))[0]!.id, people });
    }
  });
  afterAll(() => t.close());

  for (const role of ROLES) {
    for (const where of ['own', 'other', 'region'] as Where[]) {
      const expected = EXPECTED[role][where];
      it(`${role} ${expected === 'ok' ? 'may' : 'may not'} mark attendance offline and remove from the roster (${where})`, async () => {
        const actor = actors.get(role)!;
        const workshop = workshops.get(where)!;
        const person = workshop.people[ROLES.indexOf(role)]!;
        const mark = await applyQueuedMark(t.db, actor, { sessionId: workshop.session, userId: person.id, present: true, clientId: `matrix-${++counter}-${role}-${where}`, now: NOW });
        expect(mark.ok ? 'ok' : mark.reason === 'workshops.offline.forbidden' ? 'forbidden' : mark.reason).toBe(expected);
        const removal = await removeParticipant(t.db, actor, workshop.id, person.id, { now: NOW }).then(
          () => 'ok',
          (error: { code?: string }) => (error.code === 'forbidden' ? 'forbidden' : String(error)),
        );
        expect(removal).toBe(expected);
      });
    }
  }
});
