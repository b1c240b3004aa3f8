// A response and a question's key in words — the review page, the personal-data download and the item analysis all
// describe answers this one way. The words for true, false and "no answer" come from the caller's translations.
import type { Locale } from '../../../../db/schema.ts';
import type { Question } from '../catalog.ts';
import type { Response } from './grading.ts';

/** The words a response is described with, from the caller's translations. */
export interface ResponseWords {
  true: string;
  false: string;
  unanswered: string;
}

/** A stored response in the words of the question, one line per choice, item or pair. */
export function describeResponse(q: Question, response: Response, locale: Locale, words: ResponseWords): string[] {
  const option = (id: string | null | undefined) => (id == null ? words.unanswered : (q.options?.find((o) => o.id === id)?.text[locale] ?? words.unanswered));
  const pair = (id: string | null | undefined) => q.pairs?.find((p) => p.id === id);
  const lines = (() => {
    switch (response.type) {
      case 'single':
        return response.choice === null ? [] : [option(response.choice)];
      case 'multiple':
        return response.choices.map(option);
      case 'truefalse':
        return response.value === null ? [] : [response.value ? words.true : words.false];
      case 'ordering':
        return Object.entries(response.positions)
          .sort((a, b) => (a[1] ?? 99) - (b[1] ?? 99))
          .map(([id, pos]) => `${pos ?? '—'}. ${option(id)}`);
      case 'matching':
        return Object.entries(response.matches).map(([left, right]) => `${pair(left)?.left[locale] ?? left} → ${right === null ? words.unanswered : (pair(right)?.right[locale] ?? words.unanswered)}`);
    }
  })();
  return lines.length > 0 ? lines : [words.unanswered];
}

/** The right answer in words. */
export function describeKey(q: Question, locale: Locale, words: ResponseWords): string[] {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return (Array.isArray(q.answer) ? q.answer : []).map((id) => q.options?.find((o) => o.id === id)?.text[locale] ?? id);
    case 'truefalse':
      return [q.answer === true ? words.true : words.false];
    case 'ordering':
      return (q.options ?? []).map((o, n) => `${n + 1}. ${o.text[locale]}`);
    case 'matching':
      return (q.pairs ?? []).map((p) => `${p.left[locale]} → ${p.right[locale]}`);
  }
}
