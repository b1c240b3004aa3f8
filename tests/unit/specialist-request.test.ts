import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, specialistRequests, users } from '../../db/schema.ts';
import { requestSpecialistStatus, specialistRequestDetails } from '../../src/server/learning/specialist-request.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, type TestActor } from './helpers/admin-people.ts';

describe('specialist requests', () => {
  let t: TestDatabase;
  let learner: TestActor;
  beforeEach(async () => {
    t = await createTestDatabase();
    learner = await createPerson(t.db, { role: 'learner', countryCode: 'GT' });
  });
  afterEach(() => t.close());

  it('keep the unit, the reason and the date with the status and the audit row, once', async () => {
    const when = new Date(Date.UTC(2026, 4, 4, 16));
    expect(await requestSpecialistStatus(t.db, learner, { unit: 'Fiscalía contra la Trata', reason: 'Investigo casos de trata.' }, '10.0.0.1', when)).toBe(true);
    expect(await requestSpecialistStatus(t.db, learner, { unit: 'Otra', reason: 'Un segundo clic.' }, null, when)).toBe(false);
    const [user] = await t.db.select().from(users).where(eq(users.id, learner.id));
    expect(user!.specialistStatus).toBe('requested');
    const rows = await t.db.select().from(specialistRequests).where(eq(specialistRequests.userId, learner.id));
    expect(rows.map((r) => [r.unit, r.reason, r.requestedAt.getTime()])).toEqual([['Fiscalía contra la Trata', 'Investigo casos de trata.', when.getTime()]]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'learning.specialist.request'));
    expect(audit).toHaveLength(1);

    const details = await specialistRequestDetails(t.db, [learner.id]);
    expect(details.get(learner.id)).toEqual({ unit: 'Fiscalía contra la Trata', reason: 'Investigo casos de trata.', requestedAt: when, basico: null });
  });
});
