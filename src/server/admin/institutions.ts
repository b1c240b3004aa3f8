// Institutions, their coverage targets and the national body of each country, managed by the country's committee
// (or the regional coordination). Nothing here deletes: an institution people or history point to is deactivated.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { institutions, institutionTargets, nationalBodies, PROGRAMMES, sectors, users, type ProgrammeId } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { can, countryScope, type Actor } from '../policy.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';

export type Institution = typeof institutions.$inferSelect;

export interface InstitutionListItem extends Institution {
  people: number;
  targets: Partial<Record<ProgrammeId, number>>;
}

/** The institutions of one country (or every country for regional roles), with people counts and targets. */
export async function listInstitutions(db: Database, actor: Actor, countryCode?: string | null): Promise<InstitutionListItem[]> {
  const scope = countryScope(actor, 'institution.manage');
  if (scope.kind === 'none' || (scope.kind === 'country' && countryCode && countryCode !== scope.countryCode)) throw forbidden();
  const country = scope.kind === 'country' ? scope.countryCode : countryCode || null;
  const rows = await db
    .select()
    .from(institutions)
    .where(country ? eq(institutions.countryCode, country) : undefined)
    .orderBy(asc(institutions.countryCode), asc(institutions.name));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const counts = await db
    .select({ id: users.institutionId, n: sql<number>`count(*)` })
    .from(users)
    .where(sql`${users.institutionId} IN (${idList}) AND ${users.erasedAt} IS NULL`)
    .groupBy(users.institutionId);
  const targets = await db.select().from(institutionTargets).where(sql`${institutionTargets.institutionId} IN (${idList})`);
  const countBy = new Map(counts.map((c) => [c.id, Number(c.n)]));
  return rows.map((r) => ({
    ...r,
    people: countBy.get(r.id) ?? 0,
    targets: Object.fromEntries(targets.filter((t) => t.institutionId === r.id).map((t) => [t.programme, t.target])),
  }));
}

/** One institution the actor may manage (for its edit page), or an error. */
export async function getManagedInstitution(db: Database, actor: Actor, id: number): Promise<InstitutionListItem> {
  const [row] = await db.select().from(institutions).where(eq(institutions.id, id));
  if (!row) throw notFound();
  if (!can(actor, 'institution.manage', { countryCode: row.countryCode })) throw forbidden();
  const [item] = (await listInstitutions(db, actor, row.countryCode)).filter((i) => i.id === id);
  return item!;
}

export interface InstitutionInput {
  name: string;
  acronym?: string | null;
  sectorCode: string;
}

async function checkSector(db: Database, code: string) {
  const [sector] = await db.select().from(sectors).where(eq(sectors.code, code));
  if (!sector) throw new DomainError('invalid', 'admin.institutions.sectorUnknown');
}

function isUniqueViolation(error: unknown): boolean {
  return String(error).includes('UNIQUE') || String((error as { cause?: unknown })?.cause).includes('UNIQUE');
}

export async function createInstitution(db: Database, actor: Actor, countryCode: string, input: InstitutionInput, ip?: string | null): Promise<Institution> {
  if (!can(actor, 'institution.manage', { countryCode })) throw forbidden();
  await checkSector(db, input.sectorCode);
  try {
    return await writeTransaction(db, async (tx) => {
      const [created] = await tx
        .insert(institutions)
        .values({ countryCode, sectorCode: input.sectorCode, name: input.name.trim(), acronym: input.acronym?.trim() || null })
        .returning();
      await recordAudit(tx, { actorId: actor.id, action: 'institution.create', targetType: 'institution', targetId: created!.id, countryCode, ip, after: { name: created!.name, acronym: created!.acronym, sector: created!.sectorCode } });
      return created!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', 'admin.institutions.nameTaken');
    throw error;
  }
}

async function loadForManagement(db: Database, actor: Actor, id: number): Promise<Institution> {
  const [row] = await db.select().from(institutions).where(eq(institutions.id, id));
  if (!row) throw notFound();
  if (!can(actor, 'institution.manage', { countryCode: row.countryCode })) throw forbidden();
  return row;
}

export async function updateInstitution(db: Database, actor: Actor, id: number, input: InstitutionInput, ip?: string | null): Promise<void> {
  const before = await loadForManagement(db, actor, id);
  await checkSector(db, input.sectorCode);
  const after = { name: input.name.trim(), acronym: input.acronym?.trim() || null, sectorCode: input.sectorCode };
  try {
    await writeTransaction(db, async (tx) => {
      await tx.update(institutions).set(after).where(eq(institutions.id, id));
      await recordAudit(tx, { actorId: actor.id, action: 'institution.update', targetType: 'institution', targetId: id, countryCode: before.countryCode, ip, before: { name: before.name, acronym: before.acronym, sectorCode: before.sectorCode }, after });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('conflict', 'admin.institutions.nameTaken');
    throw error;
  }
}

/** Deactivating hides an institution from registration, invitations and imports; its people and history stay. */
export async function setInstitutionActive(db: Database, actor: Actor, id: number, active: boolean, ip?: string | null): Promise<void> {
  const before = await loadForManagement(db, actor, id);
  if (before.active === active) return;
  await writeTransaction(db, async (tx) => {
    await tx.update(institutions).set({ active }).where(eq(institutions.id, id));
    await recordAudit(tx, { actorId: actor.id, action: active ? 'institution.reactivate' : 'institution.deactivate', targetType: 'institution', targetId: id, countryCode: before.countryCode, ip, before: { active: before.active }, after: { active } });
  });
}

/** Sets the target headcount per programme; an empty value removes that programme's target. */
export async function setInstitutionTargets(db: Database, actor: Actor, id: number, targets: Partial<Record<ProgrammeId, number | null>>, ip?: string | null, now = Date.now()): Promise<void> {
  const [institution] = await db.select().from(institutions).where(eq(institutions.id, id));
  if (!institution) throw notFound();
  if (!can(actor, 'targets.edit', { countryCode: institution.countryCode })) throw forbidden();
  for (const value of Object.values(targets)) {
    if (value !== null && value !== undefined && (!Number.isInteger(value) || value < 0 || value > 10_000_000)) throw new DomainError('invalid', 'admin.targets.invalid');
  }
  await writeTransaction(db, async (tx) => {
    const previous = await tx.select().from(institutionTargets).where(eq(institutionTargets.institutionId, id));
    const before = Object.fromEntries(previous.map((t) => [t.programme, t.target]));
    for (const programme of PROGRAMMES) {
      if (!(programme in targets)) continue;
      const value = targets[programme];
      if (value === null || value === undefined) {
        await tx.delete(institutionTargets).where(and(eq(institutionTargets.institutionId, id), eq(institutionTargets.programme, programme)));
      } else {
        await tx
          .insert(institutionTargets)
          .values({ institutionId: id, programme, target: value, updatedAt: new Date(now) })
          .onConflictDoUpdate({ target: [institutionTargets.institutionId, institutionTargets.programme], set: { target: value, updatedAt: new Date(now) } });
      }
    }
    await recordAudit(tx, { actorId: actor.id, action: 'targets.update', targetType: 'institution', targetId: id, countryCode: institution.countryCode, ip, before, after: targets }, now);
  });
}

export interface NationalBodyInput {
  nameEs: string;
  nameEn: string;
  acronym?: string | null;
  hotline?: string | null;
  referralContact?: string | null;
}

export async function updateNationalBody(db: Database, actor: Actor, countryCode: string, input: NationalBodyInput, ip?: string | null, now = Date.now()): Promise<void> {
  if (!can(actor, 'nationalBody.edit', { countryCode })) throw forbidden();
  const [before] = await db.select().from(nationalBodies).where(eq(nationalBodies.countryCode, countryCode));
  if (!before) throw notFound();
  const after = {
    nameEs: input.nameEs.trim(),
    nameEn: input.nameEn.trim(),
    acronym: input.acronym?.trim() || null,
    hotline: input.hotline?.trim() || null,
    referralContact: input.referralContact?.trim() || null,
  };
  await writeTransaction(db, async (tx) => {
    await tx.update(nationalBodies).set({ ...after, updatedAt: new Date(now) }).where(eq(nationalBodies.countryCode, countryCode));
    await recordAudit(tx, { actorId: actor.id, action: 'nationalBody.update', targetType: 'national_body', targetId: countryCode, countryCode, ip, before: { nameEs: before.nameEs, nameEn: before.nameEn, acronym: before.acronym, hotline: before.hotline, referralContact: before.referralContact }, after }, now);
  });
}
