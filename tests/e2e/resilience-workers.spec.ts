// `npm start` serves with several worker processes on one embedded database (scripts/serve.mjs). Here two workers
// take 60 learners' lesson progress, quiz starts and submissions at once — every answer 2xx, every write there
// exactly once — and a learner's session and progress hold whichever worker answers. Own server on a free port.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { createInstance, freePort, postAction, seedLearners, type Instance, type SeededLearner } from './support/instance.ts';

// Chosen free when the server starts: fixed ports clashed with other specs and with other runs on the machine.
let PORT = 0;
const LEARNERS = 60;
const COURSE = 'basico-fundamentos';
const lessons = (parse(readFileSync(`content/courses/${COURSE}/course.yaml`, 'utf8')) as { lessons: string[] }).lessons;

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let instance: Instance;
const learners: SeededLearner[] = [];

const post = (action: string, token: string, fields: Record<string, string>) => postAction(instance, action, token, fields);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  instance = await createInstance((PORT = await freePort()), { workers: 2 });
  learners.push(...(await seedLearners(instance, LEARNERS, 'workers')));
  await instance.start();
});

test.afterAll(async () => {
  await instance?.dispose();
});

test('two worker processes share one embedded database without losing or doubling a write', async () => {
  const children = readFileSync(`/proc/${instance.pid()}/task/${instance.pid()}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  expect(children, 'worker processes under the primary').toHaveLength(2);

  // Lessons that can be marked done without an interactive activity (found by asking, as a learner would).
  const first = learners[0]!;
  expect((await post('learning.enrol', first.token, { course: COURSE })).status).toBe(200);
  const plain: string[] = [];
  for (const lesson of lessons) if ((await post('learning.markDone', first.token, { course: COURSE, lesson })).status === 200) plain.push(lesson);
  expect(plain.length).toBeGreaterThan(1);

  // Everybody at once: enrol, every plain lesson, start the quiz, submit it — each learner's steps in order.
  const statuses: number[] = [];
  const attempts = new Map<number, number>();
  await Promise.all(
    learners.slice(1).map(async (learner) => {
      statuses.push((await post('learning.enrol', learner.token, { course: COURSE })).status);
      for (const lesson of plain) statuses.push((await post('learning.markDone', learner.token, { course: COURSE, lesson })).status);
      const started = await post('learning.startQuiz', learner.token, { course: COURSE });
      statuses.push(started.status);
      const reader = createClient({ url: instance.dbUrl });
      const row = (await reader.execute({ sql: 'SELECT id FROM quiz_attempts WHERE user_id = ? AND submitted_at IS NULL', args: [learner.id] })).rows[0];
      reader.close();
      attempts.set(learner.id, Number(row!.id));
      statuses.push((await post('learning.submitQuiz', learner.token, { course: COURSE, attempt: String(row!.id), q0: '0' })).status);
    }),
  );
  expect(statuses.filter((s) => s !== 200), 'answers other than 200').toEqual([]);

  const reader = createClient({ url: instance.dbUrl });
  const others = learners.slice(1).map((l) => l.id).join(',');
  const progress = (await reader.execute(`SELECT count(*) AS n, count(DISTINCT e.user_id || '/' || p.lesson) AS distinct_rows FROM lesson_progress p JOIN enrolments e ON e.id = p.enrolment_id WHERE e.user_id IN (${others})`)).rows[0]!;
  expect(Number(progress.n)).toBe((LEARNERS - 1) * plain.length);
  expect(Number(progress.distinct_rows)).toBe((LEARNERS - 1) * plain.length);
  const quiz = (await reader.execute(`SELECT count(*) AS n, count(submitted_at) AS submitted FROM quiz_attempts WHERE user_id IN (${others})`)).rows[0]!;
  expect(Number(quiz.n)).toBe(LEARNERS - 1);
  expect(Number(quiz.submitted)).toBe(LEARNERS - 1);
  const enrolled = (await reader.execute(`SELECT count(*) AS n FROM enrolments WHERE user_id IN (${others})`)).rows[0]!;
  expect(Number(enrolled.n)).toBe(LEARNERS - 1);
  reader.close();

  // One learner, twenty page views in a row: whichever worker answers, the session holds and the progress shows.
  const learner = learners[1]!;
  for (let i = 0; i < 20; i++) {
    const page = await fetch(`${instance.origin}/es/courses/${COURSE}/${plain[0]}`, { headers: { cookie: `capacita_session=${learner.token}` }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('course-progress');
  }
});

test('a second server on the same port stops at once with a clear message instead of waiting silently', () => {
  const second = spawnSync(process.execPath, ['scripts/serve.mjs', resolve(process.env.CAPACITA_OUT_DIR || './dist-test', 'server/entry.mjs')], {
    env: { ...process.env, DATABASE_URL: instance.dbUrl, HOST: '127.0.0.1', PORT: String(PORT), CAPACITA_WORKERS: '2' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(second.status).toBe(1);
  expect(second.stderr).toContain(`Cannot listen on 127.0.0.1:${PORT}: the port is already in use`);
});
