// Courses change under the people taking them (content is data in git; a new course.yaml `version` can land while
// thousands are mid-course). The rules, stated in docs/LEARNING.md ("When a course changes"):
//
// - An enrolment remembers the version and the lesson list it began with (enrolments.course_version,
//   lessons_at_start). A lesson done stays done while the course still has it (progress is kept by lesson slug).
// - Required lessons are the lessons the course has now AND had when the enrolment began: a removed lesson no longer
//   blocks completion; a lesson added by a later version is required only of enrolments begun on that version.
//   Enrolments from before versions were recorded (no lesson list) take the current list.
// - A quiz attempt keeps, in its paper, each question as it was drawn (text, choices, answer): the page, the grading
//   and the review read that copy, so a question reworded or removed from the bank meanwhile is still graded as the
//   learner saw it. Papers drawn before copies were kept fall back to the bank.
// - Item analysis counts a question by id and version: the version is a fingerprint of what the learner reads and how
//   it is graded (type, text, choices, answer — not the explanation or topic), so a reworded question starts fresh
//   figures while a corrected explanation does not.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Course, Question, QuestionBank } from './catalog.ts';

/** The lessons an enrolment must complete: those of the course now that it also had when the enrolment began. */
export function requiredLessons(enrolment: { lessonsAtStart: readonly string[] | null }, course: Pick<Course, 'lessons'>): string[] {
  const atStart = enrolment.lessonsAtStart;
  if (!atStart) return [...course.lessons];
  const had = new Set(atStart);
  return course.lessons.filter((l) => had.has(l));
}

/** What an enrolment records of the course when it begins. */
export function versionAtStart(course: Pick<Course, 'version' | 'lessons'>): { courseVersion: string; lessonsAtStart: string[] } {
  return { courseVersion: course.version, lessonsAtStart: [...course.lessons] };
}

/** A short fingerprint of a question as learners meet it and as it is graded. */
export function questionVersion(q: Question): string {
  const graded = { type: q.type, text: q.text, options: q.options ?? null, answer: q.answer ?? null, pairs: q.pairs ?? null };
  return encodeHexLowerCase(sha256(new TextEncoder().encode(JSON.stringify(graded)))).slice(0, 12);
}

/**
 * The questions of a stored paper: each entry's own copy when the paper kept one, else the bank's current question
 * (papers drawn before copies were kept). A question missing from both is left out, as before.
 */
export function paperQuestions(paper: { questions: readonly { id: string; question?: Question | undefined }[] }, bank: Pick<QuestionBank, 'questions'>): Map<string, Question> {
  const questions = new Map(bank.questions.map((q) => [q.id, q]));
  for (const entry of paper.questions) if (entry.question) questions.set(entry.id, entry.question);
  return questions;
}
