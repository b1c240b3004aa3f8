// A person corrects the name on their own account. Certificates already issued keep the name they were issued with
// until a correction is approved (src/server/learning/name-corrections.ts); new certificates print the new name.
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { users } from '../../db/schema.ts';
import { writeTransaction } from '../../db/busy.ts';
import { recordAudit } from './audit.ts';
import { DomainError, forbidden, notFound } from './errors.ts';
import { can, type Actor } from './policy.ts';
import { checkPersonName } from './person-name.ts';

export async function changeOwnName(db: Database, actor: Actor, rawName: string, options: { ip?: string | null; now?: number } = {}): Promise<{ name: string; changed: boolean }> {
  if (!can(actor, 'account.rename')) throw forbidden();
  const checked = checkPersonName(rawName);
  if (!checked.ok) throw new DomainError('invalid', checked.error);
  const now = options.now ?? Date.now();
  return writeTransaction(db, async (tx) => {
    const [user] = await tx.select({ name: users.name, countryCode: users.countryCode }).from(users).where(eq(users.id, actor.id));
    if (!user) throw notFound();
    if (user.name === checked.name) return { name: checked.name, changed: false };
    await tx.update(users).set({ name: checked.name }).where(eq(users.id, actor.id));
    // The audit log is append-only and outlives an erasure, so it records that the name changed, not the names.
    await recordAudit(tx, { actorId: actor.id, action: 'account.rename', targetType: 'user', targetId: actor.id, countryCode: user.countryCode, ip: options.ip ?? null }, now);
    return { name: checked.name, changed: true };
  });
}
