// The quiz as an HTML form: what the browser may see of a question (text and choices in paper order, no answer, no
// explanation) and reading the posted fields back. Options are identified by their position on the paper ("0", "1",
// …), never by their ids (authors tend to write the right option first, so ids would leak answers); ordering items
// come in shuffled order; matching right-hand items in their own shuffled order.
import type { Locale } from '../../../../db/schema.ts';
import type { Question, QuestionBank } from '../catalog.ts';
import type { Response } from './grading.ts';
import { paperEntryFor, paperOf, type PaperEntry } from './paper.ts';
import { paperQuestions } from '../versions.ts';

export interface PresentedQuestion {
  /** Form field name prefix: q0, q1, … */
  name: string;
  number: number;
  type: Question['type'];
  text: string;
  /** single/multiple: choices; ordering: items; matching: left items. Values are positions on the paper. */
  options: { value: string; text: string }[];
  /** matching: the right-hand choices. */
  rights: { value: string; text: string }[];
}

/** A question as the browser may see it: text and choices in paper order, no answer, no explanation. */
export function presentQuestion(q: Question, entry: PaperEntry, index: number, locale: Locale): PresentedQuestion {
  const base = { name: `q${index}`, number: index + 1, type: q.type, text: q.text[locale], options: [] as PresentedQuestion['options'], rights: [] as PresentedQuestion['rights'] };
  if (q.type === 'matching') {
    const pairs = new Map((q.pairs ?? []).map((p) => [p.id, p]));
    base.options = (entry.options ?? []).map((id, i) => ({ value: String(i), text: pairs.get(id)?.left[locale] ?? '' }));
    base.rights = (entry.rights ?? []).map((id, i) => ({ value: String(i), text: pairs.get(id)?.right[locale] ?? '' }));
  } else if (q.type !== 'truefalse') {
    const options = new Map((q.options ?? []).map((o) => [o.id, o]));
    base.options = (entry.options ?? []).map((id, i) => ({ value: String(i), text: options.get(id)?.text[locale] ?? '' }));
  }
  return base;
}

/** The paper of an attempt as the browser may see it. */
export function presentPaper(row: { paper: unknown }, bank: QuestionBank, locale: Locale): PresentedQuestion[] {
  const questions = paperQuestions(paperOf(row), bank);
  return paperOf(row).questions.flatMap((entry, i) => {
    const q = questions.get(entry.id);
    return q ? [presentQuestion(q, entry, i, locale)] : [];
  });
}

export type FormAnswers = Record<string, string[]>;

export function formAnswersFrom(form: FormData): FormAnswers {
  const out: FormAnswers = {};
  for (const [key, value] of form.entries()) if (typeof value === 'string') (out[key] ??= []).push(value);
  return out;
}

const byPosition = (list: readonly string[] | undefined, value: string | undefined): string | null => {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return list?.[Number(value)] ?? null;
};

/** Maps the posted fields of one question (positions on the paper) back to option ids. Unknown values count as unanswered. */
export function responseFromForm(q: Question, entry: PaperEntry, name: string, form: FormAnswers): Response {
  switch (q.type) {
    case 'single':
      return { type: 'single', choice: byPosition(entry.options, form[name]?.[0]) };
    case 'multiple': {
      const choices = new Set<string>();
      for (const v of form[name] ?? []) {
        const id = byPosition(entry.options, v);
        if (id) choices.add(id);
      }
      return { type: 'multiple', choices: [...choices] };
    }
    case 'truefalse': {
      const v = form[name]?.[0];
      return { type: 'truefalse', value: v === 'true' ? true : v === 'false' ? false : null };
    }
    case 'ordering': {
      const positions: Record<string, number | null> = {};
      const items = entry.options ?? [];
      items.forEach((id, i) => {
        const v = Number(form[`${name}.${i}`]?.[0]);
        positions[id] = Number.isInteger(v) && v >= 1 && v <= items.length ? v : null;
      });
      return { type: 'ordering', positions };
    }
    case 'matching': {
      const matches: Record<string, string | null> = {};
      (entry.options ?? []).forEach((id, i) => {
        matches[id] = byPosition(entry.rights, form[`${name}.${i}`]?.[0]);
      });
      return { type: 'matching', matches };
    }
  }
}

export function emptyResponse(q: Question): Response {
  return responseFromForm(q, paperEntryFor(q, () => 0), 'none', {});
}
