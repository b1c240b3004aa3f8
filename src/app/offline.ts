// What a course saved for offline reading consists of, and the mark a page carries when a copy of it may be kept on
// the learner's device. The service worker (public/sw.js) keeps a page only when its path is one it may keep (a
// saved course's pages, the glossary, the Guía) *and* the server marked the answer with OFFLINE_HEADER: the server
// decides, so a committee page or another person's page is never kept, whatever its path.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Course } from '../server/learning/index.ts';
import type { Locale } from '../i18n/index.ts';
import { getLesson, getLessonTitles } from './content.ts';
import { defaultH5PRoot } from '../server/h5p/h5pContentRoot.ts';
import { listLessonActivities } from '../server/h5p/listLessonActivities.ts';
import { activityFiles } from '../server/offline/activity-files.ts';

export const OFFLINE_HEADER = 'Capacita-Offline';
/** The version of the course a page shows, so the worker can tell a saved copy is out of date. */
export const COURSE_VERSION_HEADER = 'Capacita-Course-Version';

/** Marks the answer as one the signed-in learner may keep on their device for offline reading. */
export function allowOfflineCopy(headers: Headers, courseVersion?: string): void {
  headers.set(OFFLINE_HEADER, 'own');
  if (courseVersion) headers.set(COURSE_VERSION_HEADER, courseVersion);
}

export interface OfflinePlan {
  course: string;
  lang: Locale;
  title: string;
  version: string;
  learner: number;
  /** Pages the offline page lists, in course order. */
  pages: { url: string; title: string }[];
  /** Everything else to fetch: glossary, Guía, the player and the activities' files. */
  files: string[];
  /** Bytes the files weigh on disk plus the lessons' text; pages add their layout, so this is an approximation. */
  estimatedBytes: number;
}

const PLAYER_FILES = ['main.bundle.js', 'frame.bundle.js', 'styles/h5p.css'];

function playerDir(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('h5p-standalone/package.json')), 'dist');
  } catch {
    return null;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** The files of a course to save for reading offline in one language. */
export async function offlinePlan(course: Course, lang: Locale, title: string, learner: number): Promise<OfflinePlan> {
  const base = `/${lang}/courses/${course.id}`;
  const titles = await getLessonTitles(course, lang);
  const pages = [{ url: base, title }, ...course.lessons.map((slug) => ({ url: `${base}/${slug}`, title: titles.get(slug) ?? slug }))];
  let bytes = 0;
  const activities = new Set<string>();
  for (const slug of course.lessons) {
    const body = (await getLesson(course.id, lang, slug))?.body ?? '';
    bytes += Buffer.byteLength(body);
    for (const activity of listLessonActivities(body)) activities.add(activity.id);
  }
  const files = [`/${lang}/glossary`, `/${lang}/guia`];
  if (activities.size > 0) {
    const dir = playerDir();
    for (const file of PLAYER_FILES) {
      files.push(`/h5p-player/${file}`);
      if (dir) bytes += sizeOf(join(dir, file));
    }
    const root = defaultH5PRoot();
    const seen = new Set<string>();
    for (const id of activities) {
      for (const file of activityFiles(root, id)) {
        if (seen.has(file.path)) continue;
        seen.add(file.path);
        files.push(`/h5p/${file.path}`);
        bytes += file.bytes;
      }
    }
  }
  return { course: course.id, lang, title, version: course.version, learner, pages, files, estimatedBytes: bytes };
}
