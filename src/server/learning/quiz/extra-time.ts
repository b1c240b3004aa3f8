// Extra time on a course's final quiz for one person (an accommodation), granted by a committee that may manage that
// person (policy: canManagePerson) and audited. It lengthens the deadline of every attempt started afterwards, and of
// the attempt open when it is granted, so the deadline and the countdown follow it.
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../../../db/client.ts';
import { writeTransaction } from '../../../../db/busy.ts';
import { quizAttempts, quizTimeExtensions, users } from '../../../../db/schema.ts';
import { recordAudit } from '../../audit.ts';
import { canManagePerson, type Actor } from '../../policy.ts';
import type { Course } from '../catalog.ts';
import type { Executor } from '../../../../db/client.ts';

/** A quiz accommodation beyond twice a usual 30-minute limit is a conversation, not a form. */
export const MAX_EXTRA_MINUTES = 120;

const MINUTE = 60_000;

export async function extraMinutesFor(db: Pick<Database, 'select'>, userId: number, courseId: string): Promise<number> {
  const [row] = await db
    .select({ minutes: quizTimeExtensions.minutes })
    .from(quizTimeExtensions)
    .where(and(eq(quizTimeExtensions.userId, userId), eq(quizTimeExtensions.courseId, courseId)));
  return row?.minutes ?? 0;
}

/** Every course with extra time for a person (the person's admin page). */
export async function listExtraTime(db: Pick<Database, 'select'>, userId: number): Promise<{ courseId: string; minutes: number; grantedAt: Date }[]> {
  return db
    .select({ courseId: quizTimeExtensions.courseId, minutes: quizTimeExtensions.minutes, grantedAt: quizTimeExtensions.grantedAt })
    .from(quizTimeExtensions)
    .where(eq(quizTimeExtensions.userId, userId));
}

export type GrantResult = { ok: true; minutes: number } | { ok: false; error: 'notFound' | 'forbidden' | 'invalid' };

/** Sets (0 removes) a person's extra minutes on a course's quiz; the open attempt's deadline moves with it. */
export async function grantExtraTime(
  db: Database,
  actor: Actor & { id: number },
  input: { userId: number; course: Pick<Course, 'id' | 'quiz'>; minutes: number; ip?: string | null; now?: Date },
): Promise<GrantResult> {
  const { userId, course, minutes, ip = null, now = new Date() } = input;
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > MAX_EXTRA_MINUTES) return { ok: false, error: 'invalid' };
  return writeTransaction(db, async (tx) => {
    const [person] = await tx.select({ role: users.role, countryCode: users.countryCode }).from(users).where(eq(users.id, userId));
    if (!person) return { ok: false, error: 'notFound' } as const;
    if (!canManagePerson(actor, person)) return { ok: false, error: 'forbidden' } as const;
    const before = await extraMinutesFor(tx, userId, course.id);
    if (minutes === 0) {
      await tx.delete(quizTimeExtensions).where(and(eq(quizTimeExtensions.userId, userId), eq(quizTimeExtensions.courseId, course.id)));
    } else {
      await tx
        .insert(quizTimeExtensions)
        .values({ userId, courseId: course.id, minutes, grantedBy: actor.id, grantedAt: now })
        .onConflictDoUpdate({ target: [quizTimeExtensions.userId, quizTimeExtensions.courseId], set: { minutes, grantedBy: actor.id, grantedAt: now } });
    }
    await moveOpenDeadline(tx, userId, course, minutes, now);
    await recordAudit(tx, { actorId: actor.id, action: 'learning.quiz.extraTime', targetType: 'user', targetId: userId, countryCode: person.countryCode, ip, before: { courseId: course.id, minutes: before }, after: { courseId: course.id, minutes } });
    return { ok: true, minutes } as const;
  });
}

/** An attempt whose time already ran out stays closed: extra time is not a way to reopen it. */
async function moveOpenDeadline(tx: Executor, userId: number, course: Pick<Course, 'id' | 'quiz'>, extra: number, now: Date): Promise<void> {
  const limit = course.quiz.timeLimitMinutes;
  if (!limit) return;
  const open = await tx
    .select({ id: quizAttempts.id, startedAt: quizAttempts.startedAt, deadlineAt: quizAttempts.deadlineAt })
    .from(quizAttempts)
    .where(and(eq(quizAttempts.userId, userId), eq(quizAttempts.courseId, course.id), isNull(quizAttempts.submittedAt)));
  for (const a of open) {
    if (a.deadlineAt && a.deadlineAt.getTime() < now.getTime()) continue;
    await tx
      .update(quizAttempts)
      .set({ deadlineAt: new Date(a.startedAt.getTime() + (limit + extra) * MINUTE) })
      .where(and(eq(quizAttempts.id, a.id), isNull(quizAttempts.submittedAt)));
  }
}
