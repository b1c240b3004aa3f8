import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../../db/schema.ts';
import {
  createSession,
  generateSessionToken,
  invalidateOtherSessions,
  invalidateSession,
  invalidateUserSessions,
  listUserSessions,
  SESSION_LIFETIME,
  sessionIdFromToken,
  validateSessionToken,
} from '../../src/server/auth/session.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

let t: TestDatabase;
let userId: number;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
  const [user] = await t.db
    .insert(users)
    .values({ name: 'Ana Prueba', email: 'ana@example.org', emailKey: 'ana@example.org', role: 'learner', countryCode: 'GT' })
    .returning();
  userId = user!.id;
});
afterAll(() => t.close());

describe('session tokens', () => {
  it('are random and only their SHA-256 is stored', async () => {
    const a = generateSessionToken();
    const b = generateSessionToken();
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[a-z2-7]{32}$/);
    const session = await createSession(t.db, a, userId);
    expect(session.id).toBe(sessionIdFromToken(a));
    expect(session.id).not.toContain(a);
    const [stored] = await t.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(stored?.id).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('validateSessionToken', () => {
  it('returns the user for a valid token and nothing for an unknown one', async () => {
    const token = generateSessionToken();
    await createSession(t.db, token, userId);
    const valid = await validateSessionToken(t.db, token);
    expect(valid.user?.email).toBe('ana@example.org');
    const unknown = await validateSessionToken(t.db, generateSessionToken());
    expect(unknown).toEqual({ session: null, user: null });
  });

  it('expires a session after its lifetime and deletes it', async () => {
    const now = Date.now();
    const token = generateSessionToken();
    const session = await createSession(t.db, token, userId, { now });
    const later = await validateSessionToken(t.db, token, now + SESSION_LIFETIME + 1);
    expect(later.session).toBeNull();
    const rows = await t.db.select().from(sessions).where(eq(sessions.id, session.id));
    expect(rows).toHaveLength(0);
  });

  it('slides the expiry forward only once half the lifetime is used', async () => {
    const now = Date.now();
    const token = generateSessionToken();
    const created = await createSession(t.db, token, userId, { now });
    const early = await validateSessionToken(t.db, token, now + DAY);
    expect(early.session?.expiresAt.getTime()).toBe(created.expiresAt.getTime());
    const late = await validateSessionToken(t.db, token, now + 20 * DAY);
    expect(late.session?.expiresAt.getTime()).toBe(now + 20 * DAY + SESSION_LIFETIME);
  });

  it('says when it extended the session, the one time the cookie must be sent again', async () => {
    const now = Date.now();
    const token = generateSessionToken();
    await createSession(t.db, token, userId, { now });
    const early = await validateSessionToken(t.db, token, now + DAY);
    expect(early.session && early.extended).toBe(false);
    const late = await validateSessionToken(t.db, token, now + 20 * DAY);
    expect(late.session && late.extended).toBe(true);
    // Extended, the session is again in the first half of its lifetime: the next request leaves the cookie alone.
    const next = await validateSessionToken(t.db, token, now + 20 * DAY + 1000);
    expect(next.session && next.extended).toBe(false);
  });

  it('refuses the session of a deactivated account', async () => {
    const [other] = await t.db.insert(users).values({ name: 'Inactiva', email: 'off@example.org', emailKey: 'off@example.org', active: false }).returning();
    const token = generateSessionToken();
    await createSession(t.db, token, other!.id);
    expect((await validateSessionToken(t.db, token)).user).toBeNull();
  });
});

describe('invalidation', () => {
  it('signs out one session, the others, or all of a user', async () => {
    const tokens = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
    const created = [];
    for (const token of tokens) created.push(await createSession(t.db, token, userId));
    await invalidateSession(t.db, created[0]!.id);
    expect((await validateSessionToken(t.db, tokens[0]!)).session).toBeNull();
    expect((await validateSessionToken(t.db, tokens[1]!)).session).not.toBeNull();

    await invalidateOtherSessions(t.db, userId, created[2]!.id);
    expect((await validateSessionToken(t.db, tokens[1]!)).session).toBeNull();
    expect((await validateSessionToken(t.db, tokens[2]!)).session).not.toBeNull();
    expect((await listUserSessions(t.db, userId)).map((s) => s.id)).toEqual([created[2]!.id]);

    await invalidateUserSessions(t.db, userId);
    expect((await validateSessionToken(t.db, tokens[2]!)).session).toBeNull();
  });
});
