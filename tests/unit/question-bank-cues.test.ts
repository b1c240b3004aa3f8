// The graded bank and the decision activities must teach, not cue: a learner who picks "the longest option" or
// "everything except the absurd one" must not pass. Reads every course's quiz.yaml and every ScenarioDecision package
// a lesson uses, so a cue that returns in any course fails here (curriculum issue 14).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const COURSES = join('content', 'courses');
const H5P = join('content', 'h5p');
const LANGS = ['es', 'en'] as const;
type Lang = (typeof LANGS)[number];
type Bilingual = Record<Lang, string>;
/** At most this share of items may have the right option strictly longer than every other one. */
const MAX_LONGEST_SHARE = 1 / 3;
/** A multiple-answer item needs at least this many wrong options, so "all but the odd one out" is not a strategy. */
const MIN_WRONG_OPTIONS = 2;
/** Decision activities are not shuffled by the player: no position may hold the right choice in more than this share. */
const MAX_SAME_POSITION_SHARE = 1 / 2;

interface Question {
  id: string;
  type: string;
  options?: { id: string; text: Bilingual }[];
  answer?: string[] | boolean;
}
interface Decision {
  choices: { text: string; correct: boolean }[];
}

/** True when the right option is longer than every other option (ties are no cue). */
export function rightIsStrictlyLongest(right: string[], others: string[]): boolean {
  const longestRight = Math.max(...right.map((t) => t.trim().length));
  return others.every((t) => t.trim().length < longestRight);
}

/** Share of items whose right option is strictly the longest, with the ids of those items. */
export function longestShare<T>(items: T[], split: (item: T) => { right: string[]; others: string[] }, id: (item: T) => string) {
  const cued = items.filter((item) => {
    const { right, others } = split(item);
    return rightIsStrictlyLongest(right, others);
  });
  return { share: items.length === 0 ? 0 : cued.length / items.length, ids: cued.map(id) };
}

const courseIds = readdirSync(COURSES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(COURSES, d.name, 'quiz.yaml')))
  .map((d) => d.name)
  .sort();
const bankOf = (course: string) => (parse(readFileSync(join(COURSES, course, 'quiz.yaml'), 'utf8')) as { questions?: Question[] }).questions ?? [];
const answerIds = (q: Question) => (Array.isArray(q.answer) ? q.answer : []);
const splitOptions = (lang: Lang) => (q: Question) => ({
  right: q.options!.filter((o) => answerIds(q).includes(o.id)).map((o) => o.text[lang]),
  others: q.options!.filter((o) => !answerIds(q).includes(o.id)).map((o) => o.text[lang]),
});

/** Package ids that some lesson puts in front of learners (<H5P id="…" />); demos and fixtures are not lessons. */
function packagesInLessons(): Set<string> {
  const ids = new Set<string>();
  for (const course of courseIds) {
    for (const lang of LANGS) {
      const dir = join(COURSES, course, lang);
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
        for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/<H5P\s+id="([^"]+)"/g)) ids.add(m[1]);
      }
    }
  }
  return ids;
}
const decisions = [...packagesInLessons()]
  .filter((id) => existsSync(join(H5P, id, 'h5p.json')))
  .map((id) => ({ id, pkg: JSON.parse(readFileSync(join(H5P, id, 'h5p.json'), 'utf8')) as { mainLibrary: string; language?: string } }))
  .filter(({ pkg }) => pkg.mainLibrary === 'Capacita.ScenarioDecision')
  .map(({ id, pkg }) => ({ id, language: pkg.language ?? 'es', content: JSON.parse(readFileSync(join(H5P, id, 'content', 'content.json'), 'utf8')) as Decision }))
  .sort((a, b) => a.id.localeCompare(b.id));

describe('the cue measures', () => {
  it('count only a strictly longest right option', () => {
    expect(rightIsStrictlyLongest(['Acción, medios y fin'], ['Cruce', 'Pago'])).toBe(true);
    expect(rightIsStrictlyLongest(['abcd'], ['abcd', 'ab'])).toBe(false);
    expect(rightIsStrictlyLongest(['ab', 'abcdef'], ['abcde'])).toBe(true);
  });

  it('give the share of cued items and name them', () => {
    const items = [
      { id: 'q1', right: ['long right answer'], others: ['short'] },
      { id: 'q2', right: ['short'], others: ['a much longer wrong option'] },
      { id: 'q3', right: ['same'], others: ['same'] },
    ];
    expect(longestShare(items, (i) => i, (i) => i.id)).toEqual({ share: 1 / 3, ids: ['q1'] });
  });
});

describe.each(courseIds)('question bank of %s', (course) => {
  const bank = bankOf(course);
  const single = bank.filter((q) => q.type === 'single');
  const multiple = bank.filter((q) => q.type === 'multiple');

  it.each(LANGS)(`has the right option strictly longest in at most a third of its single-answer items (%s)`, (lang) => {
    const { share, ids } = longestShare(single, splitOptions(lang), (q) => q.id);
    expect(share, `${course} (${lang}): right option strictly longest in ${ids.length}/${single.length}: ${ids.join(', ')}`).toBeLessThanOrEqual(MAX_LONGEST_SHARE);
  });

  it(`has at least ${MIN_WRONG_OPTIONS} wrong options in every multiple-answer item`, () => {
    const thin = multiple.filter((q) => (q.options?.length ?? 0) - answerIds(q).length < MIN_WRONG_OPTIONS).map((q) => q.id);
    expect(thin, `${course}: multiple-answer items with fewer than ${MIN_WRONG_OPTIONS} wrong options`).toEqual([]);
  });
});

describe('decision activities used in lessons (Capacita.ScenarioDecision)', () => {
  it('exist', () => expect(decisions.length).toBeGreaterThan(0));

  describe.each(LANGS)('in %s', (lang) => {
    const inLang = decisions.filter((d) => d.language === lang);
    const split = (d: (typeof decisions)[number]) => ({
      right: d.content.choices.filter((c) => c.correct).map((c) => c.text),
      others: d.content.choices.filter((c) => !c.correct).map((c) => c.text),
    });

    it('have the right choice strictly longest in at most a third of them', () => {
      const { share, ids } = longestShare(inLang, split, (d) => d.id);
      expect(share, `right choice strictly longest in ${ids.length}/${inLang.length}: ${ids.join(', ')}`).toBeLessThanOrEqual(MAX_LONGEST_SHARE);
    });

    it('do not keep the right choice in the same position', () => {
      const positions = inLang.map((d) => d.content.choices.findIndex((c) => c.correct));
      const most = Math.max(0, ...positions.map((p) => positions.filter((x) => x === p).length));
      expect(most / Math.max(1, inLang.length), `right-choice positions: ${inLang.map((d, i) => `${d.id}=${positions[i] + 1}`).join(', ')}`).toBeLessThanOrEqual(MAX_SAME_POSITION_SHARE);
    });
  });
});
