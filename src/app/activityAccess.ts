// The glue between the activity endpoints and src/server/h5p/activityAccess.ts: which courses show each activity
// (read once per process from the lessons, since content cannot change under a built server) and the translated
// refusals the endpoints answer with.
import { getDb } from './db.ts';
import { getCourses, getLesson } from './content.ts';
import { LOCALES, translate, type Locale, type MessageKey, type Params } from '../i18n/index.ts';
import { activityAccessFor, coursesUsingActivities, type ActivityAccess, type ActivityCourses, type LessonSource } from '../server/h5p/activityAccess.ts';
import { defaultH5PRoot } from '../server/h5p/h5pContentRoot.ts';

let activityCourses: Promise<ActivityCourses> | undefined;

function loadActivityCourses(): Promise<ActivityCourses> {
  const read = async () => {
    const lessons: LessonSource[] = [];
    for (const course of await getCourses()) {
      for (const slug of course.lessons) {
        for (const locale of LOCALES) {
          const lesson = await getLesson(course.id, locale, slug);
          if (lesson) lessons.push({ courseId: course.id, source: lesson.body ?? '' });
        }
      }
    }
    return coursesUsingActivities(lessons);
  };
  if (import.meta.env.DEV) return read();
  activityCourses ??= read().catch((error: unknown) => {
    activityCourses = undefined;
    throw error;
  });
  return activityCourses;
}

/** Whether the signed-in learner may save state and results for the activity, and under which course. */
export async function checkActivityAccess(userId: number, activityId: string, requestedCourseId?: string | null): Promise<ActivityAccess> {
  return activityAccessFor(getDb(), { userId, activityId, root: defaultH5PRoot(), courses: await loadActivityCourses(), requestedCourseId });
}

export function activityRefusal(status: 403 | 404 | 413 | 429, key: MessageKey, locale: Locale, params?: Params): Response {
  return Response.json({ error: key, message: translate(locale, key, params) }, { status, headers: { 'Cache-Control': 'no-store' } });
}

/** The answer for an activity the learner may not use. */
export function accessRefusal(access: Extract<ActivityAccess, { ok: false }>, locale: Locale): Response {
  return access.reason === 'notEnrolled' ? activityRefusal(403, 'h5p.notEnrolled', locale) : activityRefusal(404, 'h5p.activityUnavailable', locale);
}
