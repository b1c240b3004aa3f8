// Wording rules from the curriculum review (issue 14) that a machine can hold: figures are never sourced from press
// coverage, Spanish legal boxes quote the official text ("se entenderá", not a paraphrase), no lesson or activity
// promises a possible victim impunity, and the words the review replaced ("bajada", "rescatada") appear only inside
// «quotation marks», as examples to correct.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const COURSES = join('content', 'courses');
const H5P = join('content', 'h5p');

/** Every lesson, quiz bank and H5P content file, with its language. */
function contentFiles(): { path: string; lang: 'es' | 'en'; text: string }[] {
  const files: { path: string; lang: 'es' | 'en'; text: string }[] = [];
  for (const course of readdirSync(COURSES)) {
    for (const lang of ['es', 'en'] as const) {
      const dir = join(COURSES, course, lang);
      if (!existsSync(dir)) continue;
      for (const f of readdirSync(dir).filter((n) => n.endsWith('.mdx'))) files.push({ path: join(dir, f), lang, text: readFileSync(join(dir, f), 'utf8') });
    }
  }
  for (const id of readdirSync(H5P)) {
    const content = join(H5P, id, 'content', 'content.json');
    if (id !== 'libraries' && existsSync(content)) files.push({ path: content, lang: id.endsWith('-en') ? 'en' : 'es', text: readFileSync(content, 'utf8') });
  }
  return files;
}

/** Text with every «…» quotation removed: what the course says in its own voice. */
export function ownVoice(text: string): string {
  return text.replace(/«[^«»]*»/g, '«»');
}

/** Spanish law boxes that define a term with a paraphrase ("se entiende") instead of the official "se entenderá". */
export function paraphrasedDefinitions(mdx: string): string[] {
  return [...mdx.matchAll(/<Callout[^>]*type="law"[^>]*>([\s\S]*?)<\/Callout>/g)].map((m) => m[1]).filter((body) => /\bse entiende\b/.test(body));
}

const PRESS_SOURCED = [/seg[uú]n (la )?cobertura de prensa/i, /as reported in the press/i, /according to press coverage/i];
// A percentage on the same line (paragraph, source entry, JSON field) as a press release: a figure taken from one, even
// when it quotes an international body (the Medios lesson once gave one as its example of a good citation).
const PRESS_RELEASE = /comunicado|notas? de prensa|press (release|stor(y|ies))/i;
export function figuresFromPressReleases(text: string): string[] {
  return text.split('\n').filter((line) => /\d\s?%/.test(line) && PRESS_RELEASE.test(line));
}
const IMPUNITY_PROMISE = [/no ser[aá] (castigad|sancionad)/i, /will not be (punished|sanctioned)/i];
const REPLACED_WORDS = [/\bbajada\b/i, /\brescatad[ao]s?\b/i];

describe('the wording rules', () => {
  it('read quotations as examples, not as the course speaking', () => {
    expect(ownVoice('Corrija «rescatan a 12 mujeres» así: identifican.')).toBe('Corrija «» así: identifican.');
  });
  it('find a percentage given with a press release as its source', () => {
    expect(figuresFromPressReleases('- UNODC, comunicado de prensa (2024): aumento del 25 % de las víctimas detectadas.\nSegún el informe (p. 37), X víctimas.')).toHaveLength(1);
    expect(figuresFromPressReleases('"Victims were 25% more, according to UNODC\'s press release"')).toHaveLength(1);
  });
  it('find a paraphrased definition in a Spanish law box and accept the official wording', () => {
    expect(paraphrasedDefinitions('<Callout type="law" title="x">\n\nPor trata de personas se entiende la captación\n\n</Callout>')).toHaveLength(1);
    expect(paraphrasedDefinitions('<Callout type="law" title="x">\n\nPor «trata de personas» se entenderá la captación\n\n</Callout>')).toEqual([]);
  });
});

describe.each(contentFiles().map((f) => [f.path, f] as const))('%s', (_path, file) => {
  it('sources no figure from press coverage', () => {
    expect(PRESS_SOURCED.filter((re) => re.test(file.text)).map(String)).toEqual([]);
  });
  it('takes no figure from a press release', () => {
    expect(figuresFromPressReleases(file.text)).toEqual([]);
  });
  it('promises no possible victim that they will not be punished', () => {
    expect(IMPUNITY_PROMISE.filter((re) => re.test(file.text)).map(String)).toEqual([]);
  });
  if (file.lang === 'es') {
    it('uses "sumario" and "identificada" in its own voice', () => {
      expect(REPLACED_WORDS.filter((re) => re.test(ownVoice(file.text))).map(String)).toEqual([]);
    });
    if (file.path.endsWith('.mdx')) {
      it('quotes definitions in law boxes verbatim ("se entenderá")', () => expect(paraphrasedDefinitions(file.text)).toEqual([]));
    }
  }
});
