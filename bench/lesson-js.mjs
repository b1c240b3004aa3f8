// How much JavaScript does a lesson page without interactive activities load? Builds nothing: it starts the built
// server (CAPACITA_OUT_DIR, default ./dist-test) on a fresh temp database, signs in as a demo learner, enrols in a
// course, fetches a lesson whose MDX has no <H5P>, collects every <script src>, inline module script and
// <link rel="modulepreload">, gzips each (level 9) and prints the total.
//
//   CAPACITA_OUT_DIR=./dist-test npx astro build && node bench/lesson-js.mjs [--course basico-fundamentos] [--lang es]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { option, signedInClient, startBuiltServer } from './lib/built-server.mjs';

const lang = option('lang', 'es');

// A course and a lesson without interactive activities.
const coursesDir = 'content/courses';
const candidates = readdirSync(coursesDir).filter((c) => existsSync(join(coursesDir, c, 'course.yaml')));
const courseId = option('course', candidates.includes('basico-fundamentos') ? 'basico-fundamentos' : candidates[0]);
if (!courseId) throw new Error('No course in content/courses');
const manifest = parse(readFileSync(join(coursesDir, courseId, 'course.yaml'), 'utf8'));
const lesson = manifest.lessons.find((slug) => !/<H5P\b/.test(readFileSync(join(coursesDir, courseId, lang, `${slug}.mdx`), 'utf8')));
if (!lesson) throw new Error(`Every lesson of ${courseId} has an <H5P> activity; pass --course`);

const { base, stop } = await startBuiltServer({ port: option('port') });

try {
  const client = await signedInClient(base, 'oficial@demo.capacita.test', lang);
  await client.post(`/${lang}/courses/${courseId}?_action=learning.enrol`, { course: courseId });
  const url = `/${lang}/courses/${courseId}/${lesson}`;
  const page = await client.get(url);
  if (page.status !== 200) throw new Error(`${url} answered ${page.status}`);
  const html = await page.text();
  if (!html.includes('lesson-title')) throw new Error(`${url} is not a lesson page (signed in?)`);

  const assets = new Set();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) assets.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"|<link\b[^>]*href="([^"]+)"[^>]*rel="modulepreload"/g)) assets.add(m[1] ?? m[2]);
  const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).filter((s) => s.trim());

  const rows = [];
  for (const src of assets) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    rows.push({ what: src, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  inline.forEach((code, i) => rows.push({ what: `(inline script ${i + 1})`, raw: Buffer.byteLength(code), gzip: gzipSync(code, { level: 9 }).length }));
  const total = rows.reduce((sum, r) => sum + r.gzip, 0);
  console.log(`Lesson page: ${url} (no interactive activities)`);
  for (const r of rows) console.log(`  ${r.what}: ${r.raw} B raw, ${r.gzip} B gzip`);
  console.log(`JavaScript loaded: ${rows.length} file(s), ${total} B gzip (${(total / 1024).toFixed(2)} kB); budget 10 kB → ${total <= 10 * 1024 ? 'OK' : 'OVER BUDGET'}`);
  process.exitCode = total <= 10 * 1024 ? 0 : 1;
} finally {
  stop();
}
