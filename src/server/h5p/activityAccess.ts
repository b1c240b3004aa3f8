// Which activities a learner may save state and results for: an installed package that a lesson of a course they are
// enrolled in shows. A made-up id, a package no lesson uses, or a course the learner never joined is refused, so a
// forged `completed` cannot be stored for an activity that does not exist or count in a course nobody took. The course
// a result is filed under is the server's answer too (the browser's courseId is only a hint among the valid ones).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { enrolments } from '../../../db/schema.ts';
import { componentIds } from '../content-integrity.ts';
import { isValidPackageId } from './h5pContentRoot.ts';
import type { Reader } from './activityResults.ts';

/** Activity id → the ids of the courses whose lessons (in either language) show it. */
export type ActivityCourses = ReadonlyMap<string, readonly string[]>;

export interface LessonSource {
  courseId: string;
  /** The lesson's MDX source. */
  source: string;
}

export function coursesUsingActivities(lessons: Iterable<LessonSource>): ActivityCourses {
  const byActivity = new Map<string, string[]>();
  for (const { courseId, source } of lessons) {
    for (const { id } of componentIds(source, 'H5P')) {
      const courses = byActivity.get(id) ?? [];
      if (!courses.includes(courseId)) courses.push(courseId);
      byActivity.set(id, courses);
    }
  }
  return byActivity;
}

export function isInstalledPackage(root: string, activityId: string): boolean {
  return isValidPackageId(activityId) && existsSync(join(root, activityId, 'h5p.json'));
}

export type ActivityAccess = { ok: true; courseId: string } | { ok: false; reason: 'unknownActivity' | 'notEnrolled' };

export interface ActivityAccessInput {
  userId: number;
  activityId: string;
  /** content/h5p (defaultH5PRoot()). */
  root: string;
  courses: ActivityCourses;
  /** The course the page says it belongs to; used when it is one of the valid ones. */
  requestedCourseId?: string | null;
}

export async function activityAccessFor(db: Reader, input: ActivityAccessInput): Promise<ActivityAccess> {
  const candidates = input.courses.get(input.activityId) ?? [];
  if (candidates.length === 0 || !isInstalledPackage(input.root, input.activityId)) return { ok: false, reason: 'unknownActivity' };
  const rows = await db
    .select({ courseId: enrolments.courseId })
    .from(enrolments)
    .where(and(eq(enrolments.userId, input.userId), inArray(enrolments.courseId, [...candidates])));
  const enrolled = new Set(rows.map((row) => row.courseId));
  if (enrolled.size === 0) return { ok: false, reason: 'notEnrolled' };
  const courseId = input.requestedCourseId && enrolled.has(input.requestedCourseId) ? input.requestedCourseId : candidates.find((id) => enrolled.has(id))!;
  return { ok: true, courseId };
}
