// A paper: the questions drawn for one attempt and the order each one's choices are shown in. It is stored in
// quiz_attempts.paper when the attempt starts, so the page, the grading and the review all read the same paper.
import type { Question } from '../catalog.ts';
import { mulberry32, secureRandom, seedFromText, shuffle, type Random } from '../random.ts';
import { questionVersion } from '../versions.ts';

export interface PaperEntry {
  id: string;
  /** single/multiple: option ids as shown; ordering: item ids as shown; matching: left pair ids as shown. */
  options?: string[];
  /** matching: right-hand pair ids as shown. */
  rights?: string[];
  /**
   * The question as drawn, so the attempt is shown, graded and reviewed as the learner met it even if the bank changes
   * meanwhile (src/server/learning/versions.ts). Server-side only: the browser gets presentQuestion's view of it.
   */
  question?: Question;
  /** Its fingerprint (questionVersion), the key item analysis counts it under. */
  version?: string;
}
export interface Paper {
  questions: PaperEntry[];
}

/** Draws `draw` questions (all of them when the bank is smaller) and shuffles each one's options. */
export function drawPaper(questions: readonly Question[], draw: number, random: Random = secureRandom): Paper {
  const chosen = shuffle(questions, random).slice(0, Math.min(draw, questions.length));
  return { questions: chosen.map((q) => ({ ...paperEntryFor(q, random), question: q, version: questionVersion(q) })) };
}

export function paperEntryFor(q: Question, random: Random = secureRandom): PaperEntry {
  switch (q.type) {
    case 'single':
    case 'multiple':
    case 'ordering':
      return { id: q.id, options: shuffle((q.options ?? []).map((o) => o.id), random) };
    case 'matching': {
      const ids = (q.pairs ?? []).map((p) => p.id);
      return { id: q.id, options: shuffle(ids, random), rights: shuffle(ids, random) };
    }
    case 'truefalse':
      return { id: q.id };
  }
}

/**
 * The fixed, stateless presentation of an ungraded practice question (knowledge check): options shuffled by a
 * generator seeded with the question id, so the page and the Action that grades it agree without storing anything,
 * and the authored order (often "right answer first") does not show.
 */
export function practiceEntry(q: Question): PaperEntry {
  return paperEntryFor(q, mulberry32(seedFromText(q.id)));
}

/** The stored paper of an attempt (early attempts stored bare question ids). */
export function paperOf(row: { paper: unknown }): Paper {
  const paper = row.paper as Paper | { questions: string[] };
  return { questions: paper.questions.map((q) => (typeof q === 'string' ? { id: q } : q)) };
}
