// Coverage targets (the denominators): read and set by the national committee of the institution's country, or the
// coordination. The editing form belongs to the administration pages; the data rules live here.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { institutions, institutionTargets, PROGRAMMES, type ProgrammeId } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { scopeIncludes, type CountryScope } from '../policy.ts';
import { scopeWhere } from './scope.ts';

export const MAX_TARGET = 1_000_000;

export interface TargetRow {
  institutionId: number;
  countryCode: string;
  institution: string;
  sector: string;
  targets: Partial<Record<ProgrammeId, number>>;
}

/** Every active institution in the scope with its targets per programme (scope: countryScope(actor, 'targets.edit')). */
export async function listTargets(db: Database, scope: CountryScope): Promise<TargetRow[]> {
  const rows = await db
    .select({ id: institutions.id, countryCode: institutions.countryCode, name: institutions.name, sector: institutions.sectorCode, programme: institutionTargets.programme, target: institutionTargets.target })
    .from(institutions)
    .leftJoin(institutionTargets, eq(institutionTargets.institutionId, institutions.id))
    .where(and(eq(institutions.active, true), scopeWhere(scope, sql`${institutions.countryCode}`)))
    .orderBy(asc(institutions.countryCode), asc(institutions.name));
  const byId = new Map<number, TargetRow>();
  for (const r of rows) {
    const row = byId.get(r.id) ?? { institutionId: r.id, countryCode: r.countryCode, institution: r.name, sector: r.sector, targets: {} };
    byId.set(r.id, row);
    if (r.programme) row.targets[r.programme] = r.target ?? 0;
  }
  return [...byId.values()];
}

export type SetTargetResult = { ok: true } | { ok: false; error: 'invalidTarget' | 'invalidProgramme' | 'unknownInstitution' | 'forbidden' };

/** Sets one target (0 removes the institution from that track's coverage), audited, in one transaction. */
export async function setTarget(
  db: Database,
  scope: CountryScope,
  input: { institutionId: number; programme: string; target: number; actorId: number; ip?: string | null },
  now = Date.now(),
): Promise<SetTargetResult> {
  if (!(PROGRAMMES as readonly string[]).includes(input.programme)) return { ok: false, error: 'invalidProgramme' };
  if (!Number.isInteger(input.target) || input.target < 0 || input.target > MAX_TARGET) return { ok: false, error: 'invalidTarget' };
  const programme = input.programme as ProgrammeId;
  return writeTransaction(db, async (tx) => {
    const [institution] = await tx.select({ countryCode: institutions.countryCode }).from(institutions).where(eq(institutions.id, input.institutionId));
    if (!institution) return { ok: false, error: 'unknownInstitution' } as const;
    if (!scopeIncludes(scope, institution.countryCode)) return { ok: false, error: 'forbidden' } as const;
    const [before] = await tx.select({ target: institutionTargets.target }).from(institutionTargets).where(and(eq(institutionTargets.institutionId, input.institutionId), eq(institutionTargets.programme, programme)));
    await tx
      .insert(institutionTargets)
      .values({ institutionId: input.institutionId, programme, target: input.target, updatedAt: new Date(now) })
      .onConflictDoUpdate({ target: [institutionTargets.institutionId, institutionTargets.programme], set: { target: input.target, updatedAt: new Date(now) } });
    await recordAudit(tx, { actorId: input.actorId, action: 'targets.set', targetType: 'institution', targetId: input.institutionId, countryCode: institution.countryCode, ip: input.ip ?? null, before: { [programme]: before?.target ?? null }, after: { [programme]: input.target } }, now);
    return { ok: true } as const;
  });
}
