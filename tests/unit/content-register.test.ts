// The courses speak to the learner as "usted" ("Observe", "¿Qué haría usted?"), like the interface
// (i18n-register.test.ts). This reads the Spanish of every lesson, course and quiz file, the glossary, the Guía, the
// programmes, every Spanish H5P package and the Spanish labels of our own H5P types, and fails on a "tú" form in the
// course's own voice: «quoted speech» (a trafficker's chat, a headline to correct) may say "tú".
//
// Sentence-initial imperatives are only looked for where the text tells the learner what to do (activity instructions
// and questions, the player's labels): elsewhere "Escribe al perfil…" or "Deja que otra persona hable" is an answer
// option or an indicator in the third person.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { looksSpanish, saysTu } from './helpers/register.ts';

const COURSES = join('content', 'courses');
const H5P = join('content', 'h5p');
const LIBRARIES = join(H5P, 'libraries');
const INSTRUCTING_FIELDS = new Set(['instructions', 'question']);

interface Passage {
  where: string;
  text: string;
  instructs: boolean;
}

/** Every `es:` string of a YAML document, with its path. */
function spanishValues(node: unknown, path: string): Passage[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => spanishValues(item, `${path}[${i}]`));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => (key === 'es' && typeof value === 'string' ? [{ where: `${path}.es`, text: value, instructs: false }] : spanishValues(value, `${path}.${key}`)));
}

/** Every string of an H5P content.json, instructions and questions marked as such. */
function packageStrings(node: unknown, path: string, field = ''): Passage[] {
  if (typeof node === 'string') return [{ where: path, text: node, instructs: INSTRUCTING_FIELDS.has(field) }];
  if (Array.isArray(node)) return node.flatMap((item, i) => packageStrings(item, `${path}[${i}]`, field));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => packageStrings(value, `${path}.${key}`, key));
}

function spanishContent(): Passage[] {
  const passages: Passage[] = [];
  for (const course of readdirSync(COURSES)) {
    const lessons = join(COURSES, course, 'es');
    if (existsSync(lessons)) for (const file of readdirSync(lessons)) passages.push({ where: join(lessons, file), text: readFileSync(join(lessons, file), 'utf8'), instructs: false });
    for (const name of ['course.yaml', 'quiz.yaml']) {
      const file = join(COURSES, course, name);
      if (existsSync(file)) passages.push(...spanishValues(parse(readFileSync(file, 'utf8')), file));
    }
  }
  const programmes = join('content', 'programmes');
  for (const file of [join('content', 'glossary.yaml'), join('content', 'guia', 'indicators.yaml'), ...readdirSync(programmes).map((f) => join(programmes, f))]) {
    passages.push(...spanishValues(parse(readFileSync(file, 'utf8')), file));
  }
  for (const id of readdirSync(H5P).filter((id) => id !== 'libraries' && !id.endsWith('-en'))) {
    const file = join(H5P, id, 'content', 'content.json');
    if (existsSync(file)) passages.push(...packageStrings(JSON.parse(readFileSync(file, 'utf8')), file));
  }
  // The player's own labels: the Spanish defaults in each type's script and semantics.json.
  for (const library of readdirSync(LIBRARIES)) {
    for (const file of readdirSync(join(LIBRARIES, library)).filter((f) => f.endsWith('.js') || f === 'semantics.json')) {
      const source = readFileSync(join(LIBRARIES, library, file), 'utf8');
      for (const m of source.matchAll(/'([^'\n]*)'|"([^"\n]*)"/g)) {
        const text = m[1] ?? m[2] ?? '';
        if (looksSpanish(text)) passages.push({ where: join(LIBRARIES, library, file), text, instructs: true });
      }
    }
  }
  return passages;
}

/** The passage in the course's own voice: «quotations» removed, one paragraph at a time. */
function ownParagraphs(text: string): string[] {
  return text.replace(/«[^«»]*»/g, '«»').split(/\n+/);
}

describe('the Spanish courses say usted', () => {
  it('reads quotations as someone else speaking, and tells a third person from an imperative only where asked', () => {
    expect(ownParagraphs('Chats de control («mándame tu ubicación»).').some((p) => saysTu(p))).toBe(false);
    expect(saysTu('Escribe al perfil haciéndose pasar por ella', { imperatives: false })).toBe(false);
    expect(saysTu('Clasifica cada característica.')).toBe(true);
    expect(saysTu('¿Qué haces?', { imperatives: false })).toBe(true);
  });

  it('has no tú form in lessons, quizzes, glossary, Guía or activities', () => {
    const offenders = spanishContent().flatMap(({ where, text, instructs }) => ownParagraphs(text).filter((p) => saysTu(p, { imperatives: instructs })).map((p) => `${where}: ${p.slice(0, 160)}`));
    expect(offenders).toEqual([]);
  });
});
