// Single-use tokens sent by e-mail (password reset, invitation). The link carries a random token; only its SHA-256
// is stored, so the table cannot be turned into working links. Using a token is one UPDATE … WHERE used_at IS NULL:
// two clicks racing on the same link cannot both succeed.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Database, Executor } from '../../../db/client.ts';
import { emailTokens } from '../../../db/schema.ts';
import { generateSessionToken, sessionIdFromToken } from './session.ts';

export type TokenPurpose = (typeof emailTokens.$inferSelect)['purpose'];

export const PASSWORD_RESET_LIFETIME = 60 * 60 * 1000;
export const INVITATION_LIFETIME = 14 * 24 * 60 * 60 * 1000;


export function tokenHash(token: string): string {
  return sessionIdFromToken(token);
}

/** Creates a token (and voids the person's earlier unused tokens of the same purpose). Returns the secret for the link. */
export async function createEmailToken(db: Pick<Executor, 'insert' | 'update'>, userId: number, purpose: TokenPurpose, lifetimeMs: number, now = Date.now()): Promise<string> {
  await db
    .update(emailTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  const token = generateSessionToken();
  await db.insert(emailTokens).values({ id: tokenHash(token), purpose, userId, expiresAt: new Date(now + lifetimeMs), createdAt: new Date(now) });
  return token;
}

/** The user a still-valid token belongs to, without using it (to show the form behind the link). */
export async function peekEmailToken(db: Database, token: string, purpose: TokenPurpose, now = Date.now()): Promise<number | null> {
  const [row] = await db
    .select({ userId: emailTokens.userId })
    .from(emailTokens)
    .where(and(eq(emailTokens.id, tokenHash(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date(now))));
  return row?.userId ?? null;
}

/** Uses the token: returns its user once, and null for an unknown, expired or already used token. */
export async function consumeEmailToken(db: Pick<Executor, 'insert' | 'update'>, token: string, purpose: TokenPurpose, now = Date.now()): Promise<number | null> {
  const rows = await db
    .update(emailTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(emailTokens.id, tokenHash(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, new Date(now))))
    .returning({ userId: emailTokens.userId });
  return rows[0]?.userId ?? null;
}
