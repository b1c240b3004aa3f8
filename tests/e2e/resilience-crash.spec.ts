// Crash safety: kill -9 the server while 200 quiz submissions and lesson-progress writes are in flight, start it
// again on the same database, and prove that every acknowledged write is there exactly once and that no attempt is
// half-written. Its own server (dist-test) on port 4341 with its own temp database; bounded (a minute or so).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { openDatabase } from '../../db/client.ts';
import { createSession, generateSessionToken } from '../../src/server/auth/session.ts';
import { createInstance, postAction, seedLearners, type Instance, type SeededLearner } from './support/instance.ts';

const PORT = 4341;
const LEARNERS = 100; // each submits a quiz and marks a lesson done: 200 writes in flight
const KILL_AFTER_ACKS = 30;
const COURSE = 'basico-fundamentos';
const lessons = (parse(readFileSync(`content/courses/${COURSE}/course.yaml`, 'utf8')) as { lessons: string[] }).lessons;

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let instance: Instance;
const learners: SeededLearner[] = [];

const post = (action: string, token: string, fields: Record<string, string>) => postAction(instance, action, token, fields);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const t0 = Date.now();
  instance = await createInstance(PORT);
  learners.push(...(await seedLearners(instance, LEARNERS, 'crash')));
  await instance.start();
  console.log(`crash: set-up took ${Math.round((Date.now() - t0) / 1000)} s`);
});

test.afterAll(async () => {
  await instance?.dispose();
});

test('every acknowledged quiz submission and progress write survives kill -9 exactly once', async () => {
  // Before the crash: enrol everybody and open a quiz attempt for each.
  for (const learner of learners) {
    expect((await post('learning.enrol', learner.token, { course: COURSE })).status).toBe(200);
    expect((await post('learning.startQuiz', learner.token, { course: COURSE })).status).toBe(200);
  }
  const reader = createClient({ url: instance.dbUrl });
  const attempts = new Map<number, number>();
  for (const row of (await reader.execute('SELECT id, user_id FROM quiz_attempts')).rows) attempts.set(Number(row.user_id), Number(row.id));
  expect(attempts.size).toBe(LEARNERS);
  // A lesson that can be marked done without an interactive activity.
  let lesson: string | undefined;
  for (const candidate of lessons) {
    const response = await post('learning.markDone', learners[0]!.token, { course: COURSE, lesson: candidate });
    if (response.status === 200) {
      lesson = candidate;
      break;
    }
  }
  expect(lesson, 'a lesson without required activities').toBeTruthy();
  await reader.execute({ sql: 'DELETE FROM lesson_progress WHERE lesson = ?', args: [lesson!] });

  // The crash: 200 writes at once; kill -9 once some are acknowledged and others still in flight.
  const acknowledged = { submit: new Set<number>(), progress: new Set<number>() };
  let acks = 0;
  let killed = false;
  let inFlightAtKill = 0;
  let settled = 0;
  const killing = (async () => {
    while (!killed) {
      if (acks >= KILL_AFTER_ACKS) {
        inFlightAtKill = LEARNERS * 2 - settled;
        killed = true;
        await instance.kill9();
        return;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  const requests = learners.flatMap((learner) => [
    post('learning.submitQuiz', learner.token, { course: COURSE, attempt: String(attempts.get(learner.id)), q0: '0' })
      .then((r) => {
        if (r.status === 200 && !killed) {
          acknowledged.submit.add(learner.id);
          acks++;
        }
      })
      .catch(() => {})
      .finally(() => settled++),
    post('learning.markDone', learner.token, { course: COURSE, lesson: lesson! })
      .then((r) => {
        if (r.status === 200 && !killed) {
          acknowledged.progress.add(learner.id);
          acks++;
        }
      })
      .catch(() => {})
      .finally(() => settled++),
  ]);
  await Promise.all(requests);
  if (!killed) {
    killed = true;
    await instance.kill9();
  }
  await killing;
  test.info().annotations.push({
    type: 'crash',
    description: `${LEARNERS * 2} writes sent; ${acknowledged.submit.size + acknowledged.progress.size} acknowledged before kill -9; ${inFlightAtKill} in flight at the kill`,
  });
  console.log(`crash: ${LEARNERS * 2} writes sent, ${acknowledged.submit.size} submissions + ${acknowledged.progress.size} progress writes acknowledged, ${inFlightAtKill} in flight when killed`);
  expect(acknowledged.submit.size + acknowledged.progress.size).toBeGreaterThan(0);

  // After the crash: the same database, a new process.
  await instance.start();
  expect(String((await reader.execute('PRAGMA integrity_check')).rows[0]![0])).toBe('ok');

  const attemptRows = (await reader.execute('SELECT id, user_id, submitted_at, score, paper FROM quiz_attempts')).rows;
  const responses = new Map<number, number>();
  for (const row of (await reader.execute('SELECT attempt_id, count(*) AS n FROM quiz_responses GROUP BY attempt_id')).rows) responses.set(Number(row.attempt_id), Number(row.n));
  // Exactly one attempt per learner (none duplicated by a replay), none half-written.
  expect(attemptRows).toHaveLength(LEARNERS);
  for (const row of attemptRows) {
    const id = Number(row.id);
    const questions = (JSON.parse(String(row.paper)) as { questions: unknown[] }).questions.length;
    if (row.submitted_at === null) {
      expect(row.score, `attempt ${id} not submitted but scored`).toBeNull();
      expect(responses.get(id) ?? 0, `attempt ${id} not submitted but has responses`).toBe(0);
    } else {
      expect(row.score, `attempt ${id} submitted without a score`).not.toBeNull();
      expect(responses.get(id), `attempt ${id} submitted with a partial set of responses`).toBe(questions);
    }
  }
  const submittedUsers = new Set(attemptRows.filter((r) => r.submitted_at !== null).map((r) => Number(r.user_id)));
  for (const id of acknowledged.submit) expect(submittedUsers.has(id), `acknowledged submission of user ${id} lost`).toBe(true);

  const progressRows = (await reader.execute({ sql: 'SELECT e.user_id, count(*) AS n FROM lesson_progress p JOIN enrolments e ON e.id = p.enrolment_id WHERE p.lesson = ? GROUP BY e.user_id', args: [lesson!] })).rows;
  const progress = new Map(progressRows.map((r) => [Number(r.user_id), Number(r.n)]));
  for (const id of acknowledged.progress) expect(progress.get(id), `acknowledged progress of user ${id}`).toBe(1);
  for (const n of progress.values()) expect(n).toBe(1);
  const enrolmentDupes = (await reader.execute('SELECT user_id, course_id, cycle, count(*) AS n FROM enrolments GROUP BY 1, 2, 3 HAVING n > 1')).rows;
  expect(enrolmentDupes).toHaveLength(0);

  // And the learners carry on: a write after the restart works for one whose request was cut off.
  const cutOff = learners.find((l) => !acknowledged.progress.has(l.id)) ?? learners[0]!;
  expect((await post('learning.markDone', cutOff.token, { course: COURSE, lesson: lesson! })).status).toBe(200);
  reader.close();
});

test('an import cut by kill -9 in the middle of its commit is all there or not there at all', async () => {
  // Staged straight through the domain module (the upload and preview steps are tested in the admin suite).
  const ROWS = 3_000;
  await instance.stop();
  const staged = spawnSync(process.execPath, ['tests/e2e/support/stage-import.ts', instance.dbUrl, String(ROWS)], { encoding: 'utf8' });
  expect(staged.status, staged.stderr).toBe(0);
  const preview = JSON.parse(staged.stdout.trim().split('\n').at(-1)!) as { batchId: number; userId: number };
  const db = openDatabase({ url: instance.dbUrl });
  const token = generateSessionToken();
  await createSession(db, token, preview.userId, { twoFactorVerified: true });
  db.$client.close();
  await instance.start();

  // The commit writes every row in one transaction that keeps the process busy (its progress lines only flush at the
  // end), so the kill is timed: later and later until the import gets through. A growing WAL at the moment of the kill
  // shows it landed inside the transaction; after each kill the import must be entirely absent.
  const wal = `${instance.dbUrl.slice('file:'.length)}-wal`;
  const walSize = () => (existsSync(wal) ? statSync(wal).size : 0);
  let acknowledged = false;
  let midTransactionKills = 0;
  const attempts: string[] = [];
  for (const delay of [50, 250, 800, 2000, 5000, 15000]) {
    const walBefore = walSize();
    const request = fetch(`${instance.origin}/api/admin/imports/${preview.batchId}/commit`, { method: 'POST', headers: { cookie: `capacita_session=${token}`, origin: instance.origin } })
      .then((r) => r.text())
      .catch(() => '');
    await new Promise((r) => setTimeout(r, delay));
    const walGrew = walSize() > walBefore;
    await instance.kill9();
    const text = await request;
    acknowledged = text.includes('"result":{"ok":true');
    await instance.start();
    const probe = createClient({ url: instance.dbUrl });
    const status = String((await probe.execute({ sql: 'SELECT status FROM import_batches WHERE id = ?', args: [preview.batchId] })).rows[0]!.status);
    const present = Number((await probe.execute("SELECT count(*) AS n FROM users WHERE email_key LIKE 'import-%@crash.capacita.test'")).rows[0]!.n);
    probe.close();
    attempts.push(`${delay} ms: ${status}, ${present} rows${walGrew ? ', WAL growing at the kill' : ''}${acknowledged ? ', acknowledged' : ''}`);
    expect(present, `after the kill at ${delay} ms`).toBe(status === 'committed' ? ROWS : 0);
    if (status !== 'committed' && walGrew) midTransactionKills++;
    if (status === 'committed') break;
  }
  console.log(`crash (import): ${ROWS} rows; ${attempts.join(' | ')}; kills inside the transaction: ${midTransactionKills}`);
  test.info().annotations.push({ type: 'import crash', description: attempts.join(' | ') });
  const check = createClient({ url: instance.dbUrl });
  const imported = Number((await check.execute("SELECT count(*) AS n FROM users WHERE email_key LIKE 'import-%@crash.capacita.test'")).rows[0]!.n);
  const status = String((await check.execute({ sql: 'SELECT status FROM import_batches WHERE id = ?', args: [preview.batchId] })).rows[0]!.status);
  check.close();
  expect(imported).toBe(status === 'committed' ? ROWS : 0);
  if (acknowledged) expect(status).toBe('committed');
  expect(String((await (async () => { const c = createClient({ url: instance.dbUrl }); const r = await c.execute('PRAGMA integrity_check'); c.close(); return r; })()).rows[0]![0])).toBe('ok');
});
