// Accounts of every role in two countries, for the administration tests.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { institutions, users, type Role } from '../../../db/schema.ts';
import type { Actor } from '../../../src/server/policy.ts';

export type TestActor = Actor & { name: string; email: string };

export async function institutionId(db: Database, countryCode: string, acronym: string): Promise<number> {
  const [row] = await db.select({ id: institutions.id }).from(institutions).where(and(eq(institutions.countryCode, countryCode), eq(institutions.acronym, acronym)));
  if (!row) throw new Error(`no institution ${acronym} in ${countryCode}`);
  return row.id;
}

export async function createPerson(
  db: Database,
  input: { role: Role; countryCode: string | null; email?: string; name?: string; institutionId?: number | null; passwordHash?: string | null; specialistStatus?: 'none' | 'requested' | 'approved' | 'rejected' },
): Promise<TestActor> {
  const email = input.email ?? `${input.role}.${input.countryCode ?? 'xx'}.${Math.random().toString(36).slice(2, 8)}@test.example`;
  const [row] = await db
    .insert(users)
    .values({
      name: input.name ?? `${input.role} ${input.countryCode ?? ''}`.trim(),
      email,
      emailKey: email.toLowerCase(),
      passwordHash: input.passwordHash ?? null,
      role: input.role,
      countryCode: input.countryCode,
      institutionId: input.institutionId ?? null,
      specialistStatus: input.specialistStatus ?? 'none',
    })
    .returning();
  return { id: row!.id, role: row!.role, countryCode: row!.countryCode, specialistStatus: row!.specialistStatus, active: row!.active, name: row!.name, email };
}
