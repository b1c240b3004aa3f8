// The people of a country as their committee sees them: a paged, searchable list (keyset on (country, name, id),
// served by the users_country_name_idx index), and the changes a committee or an administrator makes to an account.
import { and, asc, eq, gt, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { writeTransaction } from '../../../db/busy.ts';
import { certificates, enrolments, institutions, ROLES, sessions, users, type Role, type SpecialistStatus } from '../../../db/schema.ts';
import { recordAudit } from '../audit.ts';
import { recordCertificateRevoked } from '../reports/summary.ts';
import { enqueueMail } from '../mail/outbox.ts';
import { specialistDecisionMail } from '../mail/templates.ts';
import { can, canManagePerson, countryScope, scopeIncludes, type Actor } from '../policy.ts';
import { DomainError, forbidden, notFound } from '../errors.ts';

export interface PeopleFilter {
  countryCode?: string | null;
  q?: string | null;
  institutionId?: number | null;
  role?: Role | null;
  active?: boolean | null;
  specialistStatus?: SpecialistStatus | null;
  /** Keyset cursor: the (name, id) of the last row of the previous page. */
  after?: { name: string; id: number } | null;
  limit?: number;
}

export interface PersonRow {
  id: number;
  name: string;
  email: string;
  role: Role;
  countryCode: string | null;
  institutionId: number | null;
  institutionName: string | null;
  specialistStatus: SpecialistStatus;
  active: boolean;
  invited: boolean;
  /** A self-registered account whose owner has not followed the confirmation link: it cannot sign in or count. */
  unverified: boolean;
  twoFactor: boolean;
}

export interface PeoplePage {
  rows: PersonRow[];
  next: { name: string; id: number } | null;
}

const personColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  countryCode: users.countryCode,
  institutionId: users.institutionId,
  institutionName: institutions.name,
  specialistStatus: users.specialistStatus,
  active: users.active,
  invited: sql<boolean>`${users.passwordHash} IS NULL`.mapWith(Boolean),
  unverified: sql<boolean>`NOT ${users.emailVerified}`.mapWith(Boolean),
  twoFactor: sql<boolean>`${users.totpKey} IS NOT NULL`.mapWith(Boolean),
};

export async function listPeople(db: Database, actor: Actor, filter: PeopleFilter = {}): Promise<PeoplePage> {
  const scope = countryScope(actor, 'people.view');
  if (scope.kind === 'none') throw forbidden();
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const where: (SQL | undefined)[] = [isNull(users.erasedAt)];
  if (scope.kind === 'country' && filter.countryCode && filter.countryCode !== scope.countryCode) throw forbidden();
  const country = scope.kind === 'country' ? scope.countryCode : filter.countryCode || null;
  if (country) where.push(eq(users.countryCode, country));
  if (filter.institutionId) where.push(eq(users.institutionId, filter.institutionId));
  if (filter.role) where.push(eq(users.role, filter.role));
  if (filter.active !== undefined && filter.active !== null) where.push(eq(users.active, filter.active));
  if (filter.specialistStatus) where.push(eq(users.specialistStatus, filter.specialistStatus));
  const q = filter.q?.trim();
  if (q) {
    const pattern = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    where.push(or(sql`${users.name} LIKE ${pattern} ESCAPE '\\'`, sql`${users.emailKey} LIKE ${pattern.toLowerCase()} ESCAPE '\\'`));
  }
  if (filter.after) where.push(or(gt(users.name, filter.after.name), and(eq(users.name, filter.after.name), gt(users.id, filter.after.id))));
  const rows = await db
    .select(personColumns)
    .from(users)
    .leftJoin(institutions, eq(institutions.id, users.institutionId))
    .where(and(...where))
    .orderBy(asc(users.name), asc(users.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? { name: last.name, id: last.id } : null };
}

export interface PersonDetail extends PersonRow {
  locale: 'es' | 'en';
  createdAt: Date;
  /** Position and duty station as the person (or their import) gave it. The sex answer is never part of a person's page. */
  position: string | null;
  certificates: (typeof certificates.$inferSelect)[];
}

async function loadUser(db: Database, id: number) {
  const [user] = await db.select().from(users).where(and(eq(users.id, id), isNull(users.erasedAt)));
  if (!user) throw notFound();
  return user;
}

export async function getPerson(db: Database, actor: Actor, id: number): Promise<PersonDetail> {
  const user = await loadUser(db, id);
  const scope = countryScope(actor, 'people.view');
  // People without a country (regional staff) are visible only to regional roles.
  if (!(scope.kind === 'all' || scopeIncludes(scope, user.countryCode))) throw forbidden();
  const [row] = await db.select(personColumns).from(users).leftJoin(institutions, eq(institutions.id, users.institutionId)).where(eq(users.id, id));
  const certs = await db.select().from(certificates).where(eq(certificates.userId, id)).orderBy(asc(certificates.issuedAt));
  return { ...row!, locale: user.locale, createdAt: user.createdAt, position: user.position, certificates: certs };
}

async function loadManaged(db: Database, actor: Actor, id: number) {
  const user = await loadUser(db, id);
  if (!canManagePerson(actor, user)) throw forbidden();
  return user;
}

/** Deactivated people cannot sign in (their sessions end now); their history stays and counts. */
export async function setUserActive(db: Database, actor: Actor, id: number, active: boolean, ip?: string | null): Promise<void> {
  if (id === actor.id) throw new DomainError('invalid', 'admin.people.notYourself');
  const user = await loadManaged(db, actor, id);
  if (user.active === active) return;
  await writeTransaction(db, async (tx) => {
    await tx.update(users).set({ active }).where(eq(users.id, id));
    if (!active) await tx.delete(sessions).where(eq(sessions.userId, id));
    await recordAudit(tx, { actorId: actor.id, action: active ? 'user.reactivate' : 'user.deactivate', targetType: 'user', targetId: id, countryCode: user.countryCode, ip, before: { active: user.active }, after: { active } });
  });
}

/** Moves a person to another active institution of their own country. Past enrolments keep the old institution. */
export async function changeInstitution(db: Database, actor: Actor, id: number, institutionId: number, ip?: string | null): Promise<void> {
  const user = await loadManaged(db, actor, id);
  const [institution] = await db.select().from(institutions).where(eq(institutions.id, institutionId));
  if (!institution || !institution.active || institution.countryCode !== user.countryCode) throw new DomainError('invalid', 'errors.institutionRequired');
  if (user.institutionId === institutionId) return;
  await writeTransaction(db, async (tx) => {
    await tx.update(users).set({ institutionId }).where(eq(users.id, id));
    await recordAudit(tx, { actorId: actor.id, action: 'user.changeInstitution', targetType: 'user', targetId: id, countryCode: user.countryCode, ip, before: { institutionId: user.institutionId }, after: { institutionId } });
  });
}

/** Platform administrators change roles; a committee role needs a country. Sessions end so the new rights apply. */
export async function changeRole(db: Database, actor: Actor, id: number, role: Role, ip?: string | null): Promise<void> {
  if (!can(actor, 'user.changeRole')) throw forbidden();
  if (!ROLES.includes(role)) throw new DomainError('invalid', 'errors.invalidInput');
  if (id === actor.id) throw new DomainError('invalid', 'admin.people.notYourself');
  const user = await loadUser(db, id);
  if (role === 'committee' && !user.countryCode) throw new DomainError('invalid', 'admin.people.committeeNeedsCountry');
  if (user.role === role) return;
  await writeTransaction(db, async (tx) => {
    const specialistStatus = role === 'specialist' ? 'approved' : user.specialistStatus;
    await tx.update(users).set({ role, specialistStatus }).where(eq(users.id, id));
    await tx.delete(sessions).where(eq(sessions.userId, id));
    await recordAudit(tx, { actorId: actor.id, action: 'user.changeRole', targetType: 'user', targetId: id, countryCode: user.countryCode, ip, before: { role: user.role }, after: { role } });
  });
}

/** Pending specialised-unit requests of the actor's country (or of every country for regional roles). */
export async function listSpecialistRequests(db: Database, actor: Actor, countryCode?: string | null, after?: { name: string; id: number } | null): Promise<PeoplePage> {
  const scope = countryScope(actor, 'specialist.approve');
  if (scope.kind === 'none' || (scope.kind === 'country' && countryCode && countryCode !== scope.countryCode)) throw forbidden();
  return listPeople(db, actor, { countryCode: scope.kind === 'country' ? scope.countryCode : countryCode, specialistStatus: 'requested', active: true, after, limit: 100 });
}

/** The committee approves or rejects a request with a reason; the person is told by e-mail in their language. */
export async function decideSpecialistRequest(
  db: Database,
  actor: Actor,
  id: number,
  decision: { approve: boolean; reason: string },
  options: { origin: string; ip?: string | null; now?: number },
): Promise<void> {
  const user = await loadUser(db, id);
  if (!can(actor, 'specialist.approve', { countryCode: user.countryCode })) throw forbidden();
  const reason = decision.reason.trim();
  if (reason.length < 3) throw new DomainError('invalid', 'admin.specialists.reasonRequired');
  const status: SpecialistStatus = decision.approve ? 'approved' : 'rejected';
  const now = options.now ?? Date.now();
  await writeTransaction(db, async (tx) => {
    // Only a pending request can be decided: a second click (or a second committee member) finds nothing to change.
    const changed = await tx
      .update(users)
      .set({ specialistStatus: status })
      .where(and(eq(users.id, id), eq(users.specialistStatus, 'requested')))
      .returning({ id: users.id });
    if (changed.length === 0) throw new DomainError('conflict', 'admin.specialists.notPending');
    await enqueueMail(tx, specialistDecisionMail({ to: user.email, name: user.name, locale: user.locale, approved: decision.approve, reason, url: `${options.origin}/${user.locale}/courses` }), now);
    await recordAudit(tx, { actorId: actor.id, action: decision.approve ? 'specialist.approve' : 'specialist.reject', targetType: 'user', targetId: id, countryCode: user.countryCode, ip: options.ip, before: { specialistStatus: 'requested' }, after: { specialistStatus: status, reason } }, now);
  });
}

/** An administrator revokes a certificate; /verify then shows it as revoked, with the reason. */
export async function revokeCertificate(db: Database, actor: Actor, certificateId: number, reason: string, ip?: string | null, now = Date.now()): Promise<void> {
  if (!can(actor, 'certificate.revoke')) throw forbidden();
  const text = reason.trim();
  if (text.length < 3) throw new DomainError('invalid', 'admin.certificates.reasonRequired');
  const [certificate] = await db.select().from(certificates).where(eq(certificates.id, certificateId));
  if (!certificate) throw notFound();
  await writeTransaction(db, async (tx) => {
    const changed = await tx
      .update(certificates)
      .set({ revokedAt: new Date(now), revokedReason: text.slice(0, 500) })
      .where(and(eq(certificates.id, certificateId), isNull(certificates.revokedAt)))
      .returning({ id: certificates.id });
    if (changed.length === 0) throw new DomainError('conflict', 'admin.certificates.alreadyRevoked');
    // The dashboards' coverage and funnel stop counting it in the same transaction.
    const [enrolment] = certificate.enrolmentId ? await tx.select().from(enrolments).where(eq(enrolments.id, certificate.enrolmentId)) : [];
    await recordCertificateRevoked(tx, { userId: certificate.userId }, enrolment ?? null);
    await recordAudit(tx, { actorId: actor.id, action: 'certificate.revoke', targetType: 'certificate', targetId: certificate.code, countryCode: certificate.countryCode, ip, before: { revokedAt: null }, after: { revokedAt: now, reason: text } }, now);
  });
}

