// The validated content collections as the plain shapes domain modules take (src/server/catalog.ts).
import { getCollection, type CollectionEntry } from 'astro:content';
import type { Locale } from '../i18n/index.ts';
import type { Course, Programme, QuestionBank } from '../server/catalog.ts';
import { requiredActivities } from '../server/content-integrity.ts';

export async function getProgrammes(): Promise<Programme[]> {
  return (await getCollection('programmes')).map((p) => p.data as Programme).sort((a, b) => a.order - b.order);
}

export async function getCourses(): Promise<Course[]> {
  const programmes = await getProgrammes();
  const programmeOrder = new Map(programmes.map((p) => [p.id, p.order]));
  return (await getCollection('courses'))
    .map((c) => c.data as Course)
    .sort((a, b) => (programmeOrder.get(a.programme) ?? 0) - (programmeOrder.get(b.programme) ?? 0) || a.order - b.order);
}

export async function getCourse(id: string | undefined): Promise<Course | null> {
  if (!id) return null;
  return (await getCourses()).find((c) => c.id === id) ?? null;
}

export async function getBank(courseId: string): Promise<QuestionBank> {
  const entry = (await getCollection('quizzes')).find((q) => q.id === courseId);
  return entry ? (entry.data as QuestionBank) : { questions: [], practice: [] };
}

export type LessonEntry = CollectionEntry<'lessons'>;

/** A lesson of a course in one language, found by its file path (content/courses/<course>/<lang>/<slug>.mdx). */
export async function getLesson(courseId: string, locale: Locale, slug: string): Promise<LessonEntry | null> {
  const suffix = `${courseId}/${locale}/${slug}.mdx`;
  return (await getCollection('lessons')).find((l) => l.filePath?.replaceAll('\\', '/').endsWith(suffix)) ?? null;
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

export async function getGlossary() {
  return (await getCollection('glossary')).map((g) => g.data);
}
