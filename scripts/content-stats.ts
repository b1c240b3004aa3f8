// npm run content:stats — lessons, words per language and questions per course, counted from content/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCourseCatalog } from '../db/seed/course-catalog.ts';

function words(mdx: string): number {
  const body = mdx.replace(/^---[\s\S]*?---/, '').replace(/<[^>]+>/g, ' ').replace(/[#*_`>|-]/g, ' ');
  return body.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
}

const rows = readCourseCatalog().map((course) => {
  const count = (lang: string) => course.lessons.reduce((sum, slug) => sum + words(readFileSync(join('content/courses', course.id, lang, `${slug}.mdx`), 'utf8')), 0);
  return { course: course.id, programme: course.programme, lessons: course.lessons.length, wordsEs: count('es'), wordsEn: count('en'), questions: course.questionIds.length, drawn: course.quiz.draw };
});
rows.sort((a, b) => a.course.localeCompare(b.course));
console.log('| course | programme | lessons | words (es) | words (en) | bank | drawn |');
console.log('|---|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.course} | ${r.programme} | ${r.lessons} | ${r.wordsEs} | ${r.wordsEn} | ${r.questions} | ${r.drawn} |`);
const total = rows.reduce((t, r) => ({ lessons: t.lessons + r.lessons, es: t.es + r.wordsEs, en: t.en + r.wordsEn, q: t.q + r.questions }), { lessons: 0, es: 0, en: 0, q: 0 });
console.log(`| **total** | | ${total.lessons} | ${total.es} | ${total.en} | ${total.q} | |`);
