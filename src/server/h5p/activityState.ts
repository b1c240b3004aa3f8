// Where a learner left each activity: the H5P content type's getCurrentState(), saved as a JSON string.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { activityState } from '../../../db/schema.ts';
import { DomainError } from '../errors.ts';

/**
 * Larger states are refused (413): our types save a few hundred bytes and the official question types a few kB; a
 * state this big is a bug or abuse. Counted in UTF-8 bytes, what the row costs, not in characters.
 */
export const MAX_STATE_BYTES = 16 * 1024;

export function isStateWithinQuota(state: string): boolean {
  return Buffer.byteLength(state, 'utf8') <= MAX_STATE_BYTES;
}

export async function loadActivityState(db: Database, userId: number, activityId: string): Promise<string | null> {
  const [row] = await db
    .select({ state: activityState.state })
    .from(activityState)
    .where(and(eq(activityState.userId, userId), eq(activityState.activityId, activityId)));
  return row?.state ?? null;
}

/** One row per learner and activity, replaced on each save: the quota on size is the quota on storage. */
export async function saveActivityState(db: Database, userId: number, activityId: string, state: string, now = Date.now()): Promise<void> {
  if (!isStateWithinQuota(state)) throw new DomainError('tooLarge', 'errors.tooLarge', `state of activity ${activityId}`);
  await db
    .insert(activityState)
    .values({ userId, activityId, state, updatedAt: new Date(now) })
    .onConflictDoUpdate({ target: [activityState.userId, activityState.activityId], set: { state, updatedAt: new Date(now) } });
}
