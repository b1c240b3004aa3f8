// Answers saved as the learner goes (autosave with JavaScript, a "Save" button without), so a dropped connection, a
// reload or another device loses nothing. A draft is kept per question of the paper in the form's own terms (positions
// on the paper, never option ids) and bounded to the fields that question has. Saves carry a sequence number (the
// moment of the change, in the server's clock): a save that arrives after a newer one for the same question is
// ignored, so saves may arrive in any order and be repeated.
import type { Question } from '../catalog.ts';
import type { FormAnswers } from './form.ts';
import type { PaperEntry } from './paper.ts';

/** At most this many values per field (a multiple-choice question has a handful of options). */
const MAX_VALUES = 20;
/** Field values are positions ("0", "12"), "true"/"false" or empty. */
const VALUE = /^(?:\d{1,3}|true|false|)$/;

export type QuestionFields = Record<string, string[]>;

/** The posted fields of question `index` (`q<index>` and `q<index>.<n>`), only those its type has, values checked. */
export function fieldsOfQuestion(q: Question, entry: PaperEntry, index: number, answers: FormAnswers): QuestionFields {
  const name = `q${index}`;
  const names = q.type === 'ordering' || q.type === 'matching' ? (entry.options ?? []).map((_, n) => `${name}.${n}`) : [name];
  const out: QuestionFields = {};
  for (const field of names) {
    const values = (answers[field] ?? []).filter((v) => VALUE.test(v)).slice(0, MAX_VALUES);
    if (values.length > 0) out[field] = values;
  }
  return out;
}

/** True when the fields hold an answer (an ordering or matching question posts empty selects when untouched). */
export function isAnswered(fields: QuestionFields): boolean {
  return Object.values(fields).some((values) => values.some((v) => v !== ''));
}

/**
 * The answers to grade: per question, what the submitted page holds when it holds an answer, otherwise what was saved
 * (another device, or a page opened before the last save).
 */
export function mergeAnswers(saved: readonly QuestionFields[], posted: readonly QuestionFields[]): FormAnswers {
  const out: FormAnswers = {};
  const count = Math.max(saved.length, posted.length);
  for (let i = 0; i < count; i++) Object.assign(out, posted[i] && isAnswered(posted[i]!) ? posted[i] : (saved[i] ?? {}));
  return out;
}
