import { and, eq } from 'drizzle-orm';
import type { Database } from '../client.ts';
import { institutions, users, type Role, type SpecialistStatus } from '../schema.ts';
import { hashPassword } from '../../src/server/auth/password.ts';

export const DEMO_PASSWORD = 'capacita-demo-2026';

interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  countryCode: string | null;
  /** Acronym of the institution in that country. */
  institution?: string;
  mediaOutlet?: string;
  specialistStatus?: SpecialistStatus;
  locale?: 'es' | 'en';
  description: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'oficial@demo.capacita.test', name: 'Ana Lucía Demo', role: 'learner', countryCode: 'HN', institution: 'INM', description: 'learner, Honduras, Instituto Nacional de Migración' },
  { email: 'fiscal@demo.capacita.test', name: 'Carlos Demo', role: 'specialist', countryCode: 'GT', institution: 'MP', specialistStatus: 'approved', description: 'approved specialist, Guatemala, Ministerio Público' },
  { email: 'solicitante@demo.capacita.test', name: 'Rosa Demo', role: 'learner', countryCode: 'GT', institution: 'PNC', specialistStatus: 'requested', description: 'learner, Guatemala, Policía Nacional Civil, asked to join a specialised unit (pending)' },
  { email: 'periodista@demo.capacita.test', name: 'Mariela Demo', role: 'journalist', countryCode: 'CR', mediaOutlet: 'Diario Demo', description: 'journalist, Costa Rica' },
  { email: 'comite.gt@demo.capacita.test', name: 'Comité Guatemala Demo', role: 'committee', countryCode: 'GT', description: 'committee, Guatemala' },
  { email: 'comite.hn@demo.capacita.test', name: 'Comité Honduras Demo', role: 'committee', countryCode: 'HN', description: 'committee, Honduras' },
  { email: 'coordinacion@demo.capacita.test', name: 'Coordinación Regional Demo', role: 'coordinator', countryCode: null, description: 'regional coordinator' },
  { email: 'observador@demo.capacita.test', name: 'Observer Demo', role: 'observer', countryCode: null, locale: 'en', description: 'observer (aggregates only)' },
  { email: 'admin@demo.capacita.test', name: 'Admin Demo', role: 'admin', countryCode: null, description: 'platform administrator' },
];

/** Creates the demo accounts that do not exist yet (all with the demo password). */
export async function ensureDemoAccounts(db: Database): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of DEMO_ACCOUNTS) {
    let institutionId: number | null = null;
    if (account.institution && account.countryCode) {
      const [row] = await db
        .select({ id: institutions.id })
        .from(institutions)
        .where(and(eq(institutions.countryCode, account.countryCode), eq(institutions.acronym, account.institution)));
      institutionId = row?.id ?? null;
    }
    await db
      .insert(users)
      .values({
        name: account.name,
        email: account.email,
        emailKey: account.email,
        passwordHash,
        role: account.role,
        countryCode: account.countryCode,
        institutionId,
        mediaOutlet: account.mediaOutlet ?? null,
        specialistStatus: account.specialistStatus ?? 'none',
        locale: account.locale ?? 'es',
      })
      .onConflictDoNothing();
  }
}
