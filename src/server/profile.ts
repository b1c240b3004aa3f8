// The profile fields committees asked for (issue 18): a position/duty station in the person's own words, and an
// optional "sex" question answered only for aggregate breakdowns. Nobody sees a person's answer to it but the person
// (their account page and data download); dashboards count it with small cells hidden (reports/views/coverage-sex.ts).
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { writeTransaction } from '../../db/busy.ts';
import { SEXES, users, type Sex } from '../../db/schema.ts';
import { recordAudit } from './audit.ts';
import { DomainError, forbidden, notFound } from './errors.ts';
import { can, type Actor } from './policy.ts';

export const POSITION_MAX = 160;

export interface ProfileInput {
  position?: string | null | undefined;
  /** '' or undefined: not answered. */
  sex?: string | null | undefined;
}

/** A position as stored: trimmed, inner runs of spaces made one, empty = none; too long or with control characters refused. */
export function checkPosition(raw: string | null | undefined): { ok: true; value: string | null } | { ok: false } {
  const value = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (!value) return { ok: true, value: null };
  if (value.length > POSITION_MAX || /[\p{Cc}\p{Cf}]/u.test(value)) return { ok: false };
  return { ok: true, value };
}

export function checkSex(raw: string | null | undefined): { ok: true; value: Sex | null } | { ok: false } {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  return (SEXES as readonly string[]).includes(raw) ? { ok: true, value: raw as Sex } : { ok: false };
}

/** Checks both fields, refusing with the message of the first bad one. */
export function checkProfile(input: ProfileInput): { position: string | null; sex: Sex | null } {
  const position = checkPosition(input.position);
  if (!position.ok) throw new DomainError('invalid', 'errors.positionInvalid', 'position');
  const sex = checkSex(input.sex);
  if (!sex.ok) throw new DomainError('invalid', 'errors.sexInvalid', 'sex');
  return { position: position.value, sex: sex.value };
}

/** A person sets their own position and answer to the sex question (audited as "changed", never with the values). */
export async function updateOwnProfile(db: Database, actor: Actor, input: ProfileInput, options: { ip?: string | null; now?: number } = {}): Promise<{ changed: boolean }> {
  if (!can(actor, 'account.profile')) throw forbidden();
  const checked = checkProfile(input);
  return writeTransaction(db, async (tx) => {
    const [user] = await tx.select({ position: users.position, sex: users.sex, countryCode: users.countryCode }).from(users).where(eq(users.id, actor.id));
    if (!user) throw notFound();
    if (user.position === checked.position && user.sex === checked.sex) return { changed: false };
    await tx.update(users).set(checked).where(eq(users.id, actor.id));
    await recordAudit(tx, { actorId: actor.id, action: 'account.profile', targetType: 'user', targetId: actor.id, countryCode: user.countryCode, ip: options.ip ?? null }, options.now ?? Date.now());
    return { changed: true };
  });
}

/** A person's own answers, for their account page. */
export async function loadOwnProfile(db: Pick<Database, 'select'>, userId: number): Promise<{ position: string | null; sex: Sex | null }> {
  const [row] = await db.select({ position: users.position, sex: users.sex }).from(users).where(eq(users.id, userId));
  return row ?? { position: null, sex: null };
}
