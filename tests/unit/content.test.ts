// Rules a machine checks on the course content (docs/CONTENT-FORMAT.md). Reads content/ directly with the yaml
// package, so it runs on whatever courses exist; the curriculum rules can grow here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const CONTENT = 'content';
const COURSES = join(CONTENT, 'courses');
/** A bank holds at least this many times the questions drawn, so that two attempts are different papers. */
const MIN_BANK_RATIO = 1.5;
// «rescatada»: victims are identified, not rescued (issue 14); quoted only where the term is named as one to avoid.
const BANNED_ES = [/trata de blancas/i, /tr[aá]fico de personas/i, /prostituta/i, /rescatad[oa]s?/i];
// Hotlines come from the national bodies table (<Hotline />), never typed into lessons.
const PHONE = /(?:\+\d{1,3}[\s.-]?)?(?:\(?\d{2,4}\)?[\s.-]?){1,}\d{3,4}\b/g;
const YEAR_RANGE = /^(19|20)\d\d\s?[-–]\s?(19|20)\d\d$/;
/** Digit runs that look like a phone number (7+ digits), not a year range like 2018-2024. */
export function phoneNumbers(text: string): string[] {
  return [...text.matchAll(PHONE)].map((m) => m[0].trim()).filter((m) => m.replace(/\D/g, '').length >= 7 && !YEAR_RANGE.test(m));
}

type Bilingual = { es?: string; en?: string };
interface QuestionFile {
  id: string;
  explanation?: Bilingual;
  text?: Bilingual;
}

const courseIds = existsSync(COURSES) ? readdirSync(COURSES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
const read = (path: string) => readFileSync(path, 'utf8');
const lessonFiles = (course: string, lang: 'es' | 'en') => (existsSync(join(COURSES, course, lang)) ? readdirSync(join(COURSES, course, lang)).filter((f) => f.endsWith('.mdx')).sort() : []);
/** Lesson text without front matter, import lines and component attributes' ids (ids are not prose). */
const prose = (source: string) => source.replace(/^---[\s\S]*?---/, '').replace(/\bid="[^"]*"/g, '');

describe('the phone-number rule', () => {
  it('finds numbers people could dial and leaves years alone', () => {
    expect(phoneNumbers('Llame al 2222-3333 o al +502 1234 5678.')).toEqual(['2222-3333', '+502 1234 5678']);
    expect(phoneNumbers('Entre 2018-2024 y en 1930, art. 3 a), Ley 9095.')).toEqual([]);
  });
});

describe('content/', () => {
  it('has the programmes', () => {
    expect(readdirSync(join(CONTENT, 'programmes')).filter((f) => f.endsWith('.yaml')).length).toBeGreaterThan(0);
  });

  describe.each(courseIds.length > 0 ? courseIds : ['(no courses yet)'])('course %s', (course) => {
    if (course === '(no courses yet)') {
      it('has nothing to check yet', () => expect(courseIds).toEqual([]));
      return;
    }
    const manifest = parse(read(join(COURSES, course, 'course.yaml'))) as { id: string; lessons: string[]; quiz: { draw: number } };
    const bank = (existsSync(join(COURSES, course, 'quiz.yaml')) ? parse(read(join(COURSES, course, 'quiz.yaml'))) : {}) as { questions?: QuestionFile[]; practice?: QuestionFile[] };

    it('names itself after its folder', () => expect(manifest.id).toBe(course));

    it('has every lesson in both languages with the same slugs', () => {
      const es = lessonFiles(course, 'es');
      const en = lessonFiles(course, 'en');
      expect(es).toEqual(en);
      expect(es).toEqual([...manifest.lessons].map((l) => `${l}.mdx`).sort());
    });

    it('has a <Sources> block in every lesson', () => {
      for (const lang of ['es', 'en'] as const) {
        for (const file of lessonFiles(course, lang)) expect(read(join(COURSES, course, lang, file)), `${course}/${lang}/${file}`).toMatch(/<Sources>[\s\S]*?\S[\s\S]*?<\/Sources>/);
      }
    });

    it(`has a bank of at least ${MIN_BANK_RATIO} × the questions drawn`, () => {
      const size = bank.questions?.length ?? 0;
      expect(size, `${course}: ${size} questions for draw ${manifest.quiz.draw}`).toBeGreaterThanOrEqual(Math.ceil(manifest.quiz.draw * MIN_BANK_RATIO));
    });

    it('has unique question ids and an explanation in both languages for every question', () => {
      const all = [...(bank.questions ?? []), ...(bank.practice ?? [])];
      expect(new Set(all.map((q) => q.id)).size).toBe(all.length);
      for (const q of all) {
        expect(q.explanation?.es?.trim(), `${q.id}: explanation.es`).toBeTruthy();
        expect(q.explanation?.en?.trim(), `${q.id}: explanation.en`).toBeTruthy();
      }
    });

    it('uses no banned Spanish terms', () => {
      const texts = [
        ...lessonFiles(course, 'es').map((f) => ({ where: `${course}/es/${f}`, text: prose(read(join(COURSES, course, 'es', f))) })),
        ...[...(bank.questions ?? []), ...(bank.practice ?? [])].map((q) => ({ where: `${course}/quiz.yaml ${q.id}`, text: JSON.stringify(q) })),
      ];
      for (const { where, text } of texts) {
        for (const banned of BANNED_ES) {
          // "Trata de blancas" etc. may be quoted only to say it must not be used — marked with «…» right after "no".
          const hits = [...text.matchAll(new RegExp(banned.source, 'gi'))].filter((m) => !/[«"“']$/.test(text.slice(Math.max(0, m.index - 1), m.index)));
          expect(hits.map((h) => h[0]), `${where}: ${banned}`).toEqual([]);
        }
      }
    });

    it('types no phone numbers in lessons (use <Hotline />)', () => {
      for (const lang of ['es', 'en'] as const) {
        for (const file of lessonFiles(course, lang)) {
          expect(phoneNumbers(prose(read(join(COURSES, course, lang, file)))), `${course}/${lang}/${file}`).toEqual([]);
        }
      }
    });
  });
});
