// Creates people straight in a test database (reference data loaded), the way registration would.
import type { Database } from '../../../db/client.ts';
import { institutions, users, type Role, type SpecialistStatus } from '../../../db/schema.ts';

let counter = 0;

export async function createPerson(db: Database, { role = 'learner' as Role, specialistStatus = 'none' as SpecialistStatus, name = 'Persona de Prueba' } = {}) {
  const [institution] = await db.select().from(institutions).limit(1);
  const email = `persona${++counter}-${Date.now()}@test.capacita.test`;
  const [user] = await db
    .insert(users)
    .values({ name, email, emailKey: email, role, specialistStatus, countryCode: institution!.countryCode, institutionId: role === 'journalist' ? null : institution!.id })
    .returning();
  return user!;
}
