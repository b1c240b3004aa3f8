// Reads course manifests and quiz banks straight from content/ for scripts that run outside Astro
// (the demo generator, benchmarks). The app itself reads them through the validated content collections.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ProgrammeId } from '../schema.ts';

export interface CatalogCourse {
  id: string;
  programme: ProgrammeId;
  version: string;
  lessons: string[];
  prerequisites: string[];
  certificateValidityMonths?: number;
  quiz: { draw: number; passMark: number; attempts: number };
  questionIds: string[];
  /** The graded bank's questions, with what the demo generator needs to answer them right or wrong. */
  questions: CatalogQuestion[];
}

export interface CatalogQuestion {
  id: string;
  type: 'single' | 'multiple' | 'truefalse' | 'ordering' | 'matching';
  topic: string;
  /** Option ids in file order (ordering: the correct order). */
  options: string[];
  /** single/multiple: correct option ids; truefalse: the boolean. */
  answer: string[] | boolean | null;
  /** matching: pair ids. */
  pairs: string[];
}

interface RawQuestion {
  id: string;
  type: CatalogQuestion['type'];
  topic?: string;
  options?: { id: string }[];
  answer?: string[] | boolean;
  pairs?: { id: string }[];
}

/** The content folder scripts read: CAPACITA_CONTENT_DIR when set (fixtures for local runs), else ./content. */
export const DEFAULT_CONTENT_DIR = process.env.CAPACITA_CONTENT_DIR || 'content';

export function readCourseCatalog(contentDir = DEFAULT_CONTENT_DIR): CatalogCourse[] {
  const coursesDir = join(contentDir, 'courses');
  if (!existsSync(coursesDir)) return [];
  return readdirSync(coursesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(coursesDir, d.name, 'course.yaml')))
    .map((d) => {
      const manifest = parse(readFileSync(join(coursesDir, d.name, 'course.yaml'), 'utf8'));
      const quizPath = join(coursesDir, d.name, 'quiz.yaml');
      const bank = existsSync(quizPath) ? parse(readFileSync(quizPath, 'utf8')) : { questions: [] };
      return {
        id: manifest.id,
        programme: manifest.programme,
        version: String(manifest.version),
        lessons: manifest.lessons,
        prerequisites: manifest.prerequisites ?? [],
        certificateValidityMonths: manifest.certificateValidityMonths,
        quiz: manifest.quiz,
        questionIds: (bank.questions ?? []).map((q: { id: string }) => q.id),
        questions: (bank.questions ?? []).map((q: RawQuestion) => ({
          id: q.id,
          type: q.type,
          topic: q.topic ?? '',
          options: (q.options ?? []).map((o) => o.id),
          answer: q.answer ?? null,
          pairs: (q.pairs ?? []).map((p) => p.id),
        })),
      } satisfies CatalogCourse;
    });
}
