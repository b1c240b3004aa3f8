// What a first visit costs on the wire (issue 16.5): a lesson, a lesson with an H5P activity (scrolled to and
// played), the Guía de Indicadores and the dashboard, each opened in a fresh Chromium profile (empty cache), counting
// every response's bytes as received (headers and body, after any compression: the DevTools protocol's
// encodedDataLength), until the network is idle. Prints each against its budget with ✓/✗ and exits non-zero when one
// is over. Builds nothing: start it against a build (CAPACITA_OUT_DIR, default ./dist-test).
//
//   CAPACITA_OUT_DIR=./dist-test npx astro build && node bench/weight.mjs [--lang es] [--details]
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { parse } from 'yaml';
import { option, signedInClient, startBuiltServer } from './lib/built-server.mjs';

const KB = 1024;
const lang = option('lang', 'es');
const details = process.argv.includes('--details');
const courseId = option('course', 'basico-fundamentos');
const manifest = parse(readFileSync(join('content/courses', courseId, 'course.yaml'), 'utf8'));
const source = (slug) => readFileSync(join('content/courses', courseId, lang, `${slug}.mdx`), 'utf8');
const plainLesson = manifest.lessons.find((slug) => !/<H5P\b/.test(source(slug)));
const h5pLesson = manifest.lessons.find((slug) => /<H5P\b/.test(source(slug)));
if (!plainLesson || !h5pLesson) throw new Error(`${courseId} needs a lesson with and one without <H5P>; pass --course`);

const { base, stop } = await startBuiltServer({ port: option('port') });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

/** Bytes received for everything a first visit to `path` loads; `play` runs after the load (e.g. scroll to the activity). */
async function firstVisit(cookie, path, play) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  if (cookie) await context.addCookies(cookie.split('; ').map((pair) => { const [name, ...rest] = pair.split('='); return { name, value: rest.join('='), url: base }; }));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  const requests = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response, type }) => requests.set(requestId, { url: response.url, type, bytes: 0 }));
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const r = requests.get(requestId);
    if (r) r.bytes = encodedDataLength;
  });
  const response = await page.goto(base + path, { waitUntil: 'networkidle' });
  if (response?.status() !== 200) throw new Error(`${path} answered ${response?.status()}`);
  if (play) await play(page);
  await page.waitForLoadState('networkidle');
  await context.close();
  const rows = [...requests.values()].filter((r) => r.bytes > 0);
  return {
    total: rows.reduce((sum, r) => sum + r.bytes, 0),
    script: rows.filter((r) => r.type === 'Script').reduce((sum, r) => sum + r.bytes, 0),
    rows,
  };
}

const playFirstActivity = async (page) => {
  const activity = page.locator('section[data-h5p-id]').first();
  await activity.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('section[data-h5p-id]')?.getAttribute('data-h5p-state') === 'ready', null, { timeout: 120_000 });
};

let over = false;
try {
  const learner = await signedInClient(base, 'oficial@demo.capacita.test', lang);
  await learner.post(`/${lang}/courses/${courseId}?_action=learning.enrol`, { course: courseId });
  const committee = await signedInClient(base, 'comite.hn@demo.capacita.test', lang);
  const visits = [
    { what: `Lesson (${courseId}/${plainLesson})`, path: `/${lang}/courses/${courseId}/${plainLesson}`, cookie: learner.cookie, budget: 40 * KB },
    { what: `Lesson with H5P, first activity played (${courseId}/${h5pLesson})`, path: `/${lang}/courses/${courseId}/${h5pLesson}`, cookie: learner.cookie, budget: 150 * KB, play: playFirstActivity },
    { what: 'Guía de Indicadores (signed out)', path: `/${lang}/guia`, cookie: '', budget: 40 * KB },
    { what: 'Dashboard (Honduras committee)', path: `/${lang}/dashboard`, cookie: committee.cookie, budget: 150 * KB },
  ];
  console.log(`First visit, empty cache, bytes received (headers + body as sent) — ${base}`);
  for (const visit of visits) {
    const { total, script, rows } = await firstVisit(visit.cookie, visit.path, visit.play);
    const ok = total <= visit.budget;
    over ||= !ok;
    console.log(`${ok ? '✓' : '✗'} ${visit.what}: ${(total / KB).toFixed(1)} KB (JavaScript ${(script / KB).toFixed(1)} KB, ${rows.length} responses); budget ${visit.budget / KB} KB`);
    if (details) for (const r of rows.sort((a, b) => b.bytes - a.bytes)) console.log(`    ${(r.bytes / KB).toFixed(1).padStart(6)} KB  ${r.type.padEnd(10)} ${r.url.replace(base, '')}`);
  }
  process.exitCode = over ? 1 : 0;
} finally {
  await browser.close();
  stop();
}
