// The validated content collections as the plain shapes domain modules take (src/server/learning/catalog.ts).
import { getCollection, render, type CollectionEntry } from 'astro:content';
import type { Locale } from '../i18n/index.ts';
import type { Course, Programme, QuestionBank } from '../server/learning/index.ts';
import { requiredActivities } from '../server/content-integrity.ts';

/**
 * Content cannot change under a built server, so each index is computed once per process (a lesson page used to copy
 * every collection entry several times per request). The dev server reloads content, so it reads afresh there.
 */
function computedOnce<T>(compute: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    if (import.meta.env.DEV) return compute();
    cached ??= compute().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

const programmes = computedOnce(async () => (await getCollection('programmes')).map((p) => p.data as Programme).sort((a, b) => a.order - b.order));

const courses = computedOnce(async () => {
  const programmeOrder = new Map((await programmes()).map((p) => [p.id, p.order]));
  return (await getCollection('courses'))
    .map((c) => c.data as Course)
    .sort((a, b) => (programmeOrder.get(a.programme) ?? 0) - (programmeOrder.get(b.programme) ?? 0) || a.order - b.order);
});

const banks = computedOnce(async () => new Map((await getCollection('quizzes')).map((q) => [q.id, q.data as QuestionBank])));

export type LessonEntry = CollectionEntry<'lessons'>;

/** content/courses/<course>/<lang>/<slug>.mdx → its entry. */
const lessons = computedOnce(async () => {
  const byPath = new Map<string, LessonEntry>();
  for (const entry of await getCollection('lessons')) {
    const match = entry.filePath?.replaceAll('\\', '/').match(/([^/]+)\/([^/]+)\/([^/]+)\.mdx$/);
    if (match) byPath.set(`${match[1]}/${match[2]}/${match[3]}`, entry);
  }
  return byPath;
});

const rendered = new Map<string, ReturnType<typeof render>>();

export async function getProgrammes(): Promise<Programme[]> {
  return [...(await programmes())];
}

export async function getCourses(): Promise<Course[]> {
  return [...(await courses())];
}

export async function getCourse(id: string | undefined): Promise<Course | null> {
  if (!id) return null;
  return (await courses()).find((c) => c.id === id) ?? null;
}

export async function getBank(courseId: string): Promise<QuestionBank> {
  return (await banks()).get(courseId) ?? { questions: [], practice: [] };
}

/** A lesson of a course in one language, found by its file path (content/courses/<course>/<lang>/<slug>.mdx). */
export async function getLesson(courseId: string, locale: Locale, slug: string): Promise<LessonEntry | null> {
  return (await lessons()).get(`${courseId}/${locale}/${slug}`) ?? null;
}

/** The lesson's compiled MDX component and headings, loaded once per lesson (the component itself renders per request). */
export function renderLesson(lesson: LessonEntry): ReturnType<typeof render> {
  if (import.meta.env.DEV) return render(lesson);
  let result = rendered.get(lesson.id);
  if (!result) {
    result = render(lesson);
    rendered.set(lesson.id, result);
    result.catch(() => rendered.delete(lesson.id));
  }
  return result;
}

export async function getLessonTitles(course: Course, locale: Locale): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  for (const slug of course.lessons) {
    const lesson = await getLesson(course.id, locale, slug);
    titles.set(slug, lesson?.data.title ?? slug);
  }
  return titles;
}

/** Ids of the H5P activities the lesson marks `required`, read from its MDX source. */
export function lessonRequiredActivities(lesson: LessonEntry): string[] {
  return requiredActivities(lesson.body ?? '');
}

const glossary = computedOnce(async () => (await getCollection('glossary')).map((g) => g.data));

export async function getGlossary() {
  return [...(await glossary())];
}
