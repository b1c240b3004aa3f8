// The English Especializado courses are what Belizean officials read, so they are adapted to Belize, not only
// translated (curriculum review, 2026-12-01): each course teaches through at least one Belize case, a lesson that says
// what applies in Belize cites where that comes from, Belize's Act is named as enacted, and the adaptation keeps the
// lesson readable on a phone (the English version stays within about 30 % of the Spanish one, which is not adapted).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const COURSES = join('content', 'courses');
const SPECIALISED = readdirSync(COURSES).filter((c) => c.startsWith('especializado-'));

const BELIZE = /\bBeliz(e|ean)\b/;
const ACT_NAME = /Trafficking in Persons \(Prohibition\) Act/g;
const ACT_YEAR = /^,? (de )?2013\b/;
/** The Spanish lesson plus this much is the most an English lesson may grow to by adapting it. */
const MAX_GROWTH = 1.3;

function lessons(course: string, lang: 'es' | 'en'): { slug: string; text: string }[] {
  const dir = join(COURSES, course, lang);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => ({ slug: f.replace(/\.mdx$/, ''), text: readFileSync(join(dir, f), 'utf8') }));
}

export function scenarios(mdx: string): string[] {
  return [...mdx.matchAll(/<Scenario\b[\s\S]*?<\/Scenario>/g)].map((m) => m[0]);
}

/** The lesson without its Sources block, and the Sources block alone. */
export function splitSources(mdx: string): { body: string; sources: string } {
  const m = mdx.match(/<Sources>([\s\S]*?)<\/Sources>/);
  return { body: m ? mdx.replace(m[0], '') : mdx, sources: m ? m[1] : '' };
}

/** Mentions of Belize's Act that do not give its year, 2013 (one secondary source calls it "the Act of 2003"). */
export function actWithoutYear(text: string): string[] {
  return [...text.matchAll(ACT_NAME)]
    .map((m) => text.slice(m.index ?? 0, (m.index ?? 0) + m[0].length + 12))
    .filter((mention) => !ACT_YEAR.test(mention.slice('Trafficking in Persons (Prohibition) Act'.length)));
}

function words(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

describe('the Belize rules', () => {
  it('find a Belize case among the scenarios', () => {
    const mdx = '<Scenario title="A">\n\nAt a border station in western Belize…\n\n</Scenario>\n\n<Scenario title="B">\n\nElsewhere.\n\n</Scenario>';
    expect(scenarios(mdx).filter((s) => BELIZE.test(s))).toHaveLength(1);
  });
  it('read the sources apart from the lesson', () => {
    const { body, sources } = splitSources('In Belize, X.\n\n<Sources>\n\n- Palermo Protocol.\n\n</Sources>');
    expect(BELIZE.test(body)).toBe(true);
    expect(BELIZE.test(sources)).toBe(false);
  });
  it('accept the Act with its year and catch it without', () => {
    expect(actWithoutYear('the Trafficking in Persons (Prohibition) Act, 2013 and the Trafficking in Persons (Prohibition) Act 2013')).toEqual([]);
    expect(actWithoutYear('Trafficking in Persons (Prohibition) Act de 2013')).toEqual([]);
    expect(actWithoutYear('the Trafficking in Persons (Prohibition) Act of 2003')).toHaveLength(1);
  });
});

describe.each(SPECIALISED)('%s (English)', (course) => {
  const en = lessons(course, 'en');
  const es = new Map(lessons(course, 'es').map((l) => [l.slug, l.text]));

  it('teaches through at least one Belize case', () => {
    expect(en.flatMap((l) => scenarios(l.text)).filter((s) => BELIZE.test(s)).length).toBeGreaterThan(0);
  });

  it.each(en.map((l) => [l.slug, l] as const))('%s cites a Belize source for what it says about Belize', (_slug, lesson) => {
    const { body, sources } = splitSources(lesson.text);
    if (BELIZE.test(body)) expect(sources).toMatch(BELIZE);
  });

  it.each(en.map((l) => [l.slug, l] as const))('%s names the Act with its year', (_slug, lesson) => {
    expect(actWithoutYear(lesson.text)).toEqual([]);
  });

  it.each(en.map((l) => [l.slug, l] as const))('%s stays within 30 %% of the Spanish lesson', (slug, lesson) => {
    const spanish = es.get(slug);
    expect(spanish, `es/${slug}.mdx`).toBeDefined();
    expect(words(lesson.text)).toBeLessThanOrEqual(Math.round(words(spanish ?? '') * MAX_GROWTH));
  });
});
