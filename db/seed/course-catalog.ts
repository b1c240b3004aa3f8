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
}

export function readCourseCatalog(contentDir = 'content'): CatalogCourse[] {
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
      } satisfies CatalogCourse;
    });
}
