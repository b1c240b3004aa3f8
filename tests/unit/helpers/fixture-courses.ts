// The two small fixture courses of tests/fixtures/content, read as the app's plain Course and QuestionBank shapes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Course, QuestionBank } from '../../../src/server/learning/catalog.ts';

export const FIXTURE_CONTENT = join(import.meta.dirname, '..', '..', 'fixtures', 'content');

export function fixtureCourse(id: 'fx-basico' | 'fx-actualizacion'): { course: Course; bank: QuestionBank } {
  return readFixture(join(FIXTURE_CONTENT, 'courses', id));
}

/** A later version of a fixture course (tests/fixtures/content/versions/<id>-<version>/), as if it had just landed. */
export function fixtureCourseVersion(id: 'fx-basico', version: '2.0'): { course: Course; bank: QuestionBank } {
  return readFixture(join(FIXTURE_CONTENT, 'versions', `${id}-${version}`));
}

function readFixture(dir: string): { course: Course; bank: QuestionBank } {
  const manifest = parse(readFileSync(join(dir, 'course.yaml'), 'utf8'));
  const bank = parse(readFileSync(join(dir, 'quiz.yaml'), 'utf8'));
  const course: Course = { ...manifest, prerequisites: manifest.prerequisites ?? [], quiz: { cooldownMinutes: 0, ...manifest.quiz } };
  return { course, bank: { questions: bank.questions, practice: bank.practice ?? [] } };
}
