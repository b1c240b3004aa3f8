// Where a learner left each activity: the H5P content type's getCurrentState(), saved as a JSON string.
import { and, eq } from 'drizzle-orm';
import type { Database } from '../../../db/client.ts';
import { activityState } from '../../../db/schema.ts';

/** Larger states are refused: our types save a few hundred bytes; a big one is a bug or abuse. */
export const MAX_STATE_BYTES = 64 * 1024;

export async function loadActivityState(db: Database, userId: number, activityId: string): Promise<string | null> {
  const [row] = await db
    .select({ state: activityState.state })
    .from(activityState)
    .where(and(eq(activityState.userId, userId), eq(activityState.activityId, activityId)));
  return row?.state ?? null;
}

export async function saveActivityState(db: Database, userId: number, activityId: string, state: string, now = Date.now()): Promise<void> {
  await db
    .insert(activityState)
    .values({ userId, activityId, state, updatedAt: new Date(now) })
    .onConflictDoUpdate({ target: [activityState.userId, activityState.activityId], set: { state, updatedAt: new Date(now) } });
}
