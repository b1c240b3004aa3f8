// Crash safety: kill -9 the server while 200 quiz submissions and lesson-progress writes are in flight, start it
// again on the same database, and prove that every acknowledged write is there exactly once and that no attempt is
// half-written. Its own server (dist-test) on a free port with its own temp database; bounded (a minute or so).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { openDatabase } from '../../db/client.ts';
import { createSession, generateSessionToken } from '../../src/server/auth/session.ts';
import { createInstance, freePort, postAction, seedLearners, type Instance, type SeededLearner } from './support/instance.ts';

// Chosen free when the server starts: fixed ports clashed with other specs and with other runs on the machine.
let PORT = 0;
const LEARNERS = 100; // each submits a quiz and marks a lesson done: 200 writes in flight
const KILL_AFTER_ACKS = 30;
const COURSE = 'basico-fundamentos';
const lessons = (parse(readFileSync(`content/courses/${COURSE}/course.yaml`, 'utf8')) as { lessons: string[] }).lessons;

test.describe.configure({ mode: 'serial', timeout: 180_000 });

let instance: Instance;
const learners: SeededLearner[] = [];
// The import commit's test-only pause point (src/server/admin/import.ts): the server writes this file inside the
// commit transaction after its first chunk and waits until the file is removed.
const pauseDir = mkdtempSync(join(tmpdir(), 'capacita-crash-pause-'));
const PAUSE_FILE = join(pauseDir, 'import-paused');

const post = (action: string, token: string, fields: Record<string, string>) => postAction(instance, action, token, fields);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const t0 = Date.now();
  instance = await createInstance((PORT = await freePort()), { env: { CAPACITA_TEST_IMPORT_PAUSE: PAUSE_FILE } });
  learners.push(...(await seedLearners(instance, LEARNERS, 'crash')));
  await instance.start();
  console.log(`crash: set-up took ${Math.round((Date.now() - t0) / 1000)} s`);
});

test.afterAll(async () => {
  await instance?.dispose();
  rmSync(pauseDir, { recursive: true, force: true });
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

  const commit = () =>
    fetch(`${instance.origin}/api/admin/imports/${preview.batchId}/commit`, { method: 'POST', headers: { cookie: `capacita_session=${token}`, origin: instance.origin } })
      .then((r) => r.text())
      .catch(() => '');
  /** The marker's text once the server waits at the pause point; fails with the answer if the commit ended first. */
  const paused = async (request: Promise<string>) => {
    let answer: string | undefined;
    void request.then((text) => (answer = text));
    for (const started = Date.now(); !existsSync(PAUSE_FILE); await new Promise((r) => setTimeout(r, 20))) {
      if (answer !== undefined) throw new Error(`the import commit answered without reaching its pause point: ${answer}`);
      if (Date.now() - started > 60_000) throw new Error('the import commit never reached its pause point');
    }
    return readFileSync(PAUSE_FILE, 'utf8');
  };
  const importState = async () => {
    const probe = createClient({ url: instance.dbUrl });
    const status = String((await probe.execute({ sql: 'SELECT status FROM import_batches WHERE id = ?', args: [preview.batchId] })).rows[0]!.status);
    const present = Number((await probe.execute("SELECT count(*) AS n FROM users WHERE email_key LIKE 'import-%@crash.capacita.test'")).rows[0]!.n);
    const mails = Number((await probe.execute("SELECT count(*) AS n FROM mail_outbox WHERE to_address LIKE 'import-%@crash.capacita.test'")).rows[0]!.n);
    probe.close();
    return { status, present, mails };
  };

  // The kill lands inside the commit transaction: the server said so (the marker) and is waiting there, its first
  // chunk of rows written but not committed.
  rmSync(PAUSE_FILE, { force: true });
  const cut = commit();
  expect(await paused(cut)).toContain('paused inside the commit transaction after 500 rows');
  await instance.kill9();
  expect(await cut, 'a commit killed mid-transaction is not acknowledged').not.toContain('"result":{"ok":true');
  await instance.start();
  const afterKill = await importState();
  console.log(`crash (import): killed inside the commit transaction of ${ROWS} rows; afterwards ${afterKill.status}, ${afterKill.present} people, ${afterKill.mails} invitations`);
  test.info().annotations.push({ type: 'import crash', description: `killed inside the commit: ${afterKill.status}, ${afterKill.present} rows` });
  expect(afterKill).toEqual({ status: 'preview', present: 0, mails: 0 });

  // The same commit again, released at the pause point: all of it lands.
  rmSync(PAUSE_FILE, { force: true });
  const second = commit();
  await paused(second);
  rmSync(PAUSE_FILE);
  expect(await second).toContain('"result":{"ok":true');
  expect(await importState()).toEqual({ status: 'committed', present: ROWS, mails: ROWS });
  expect(String((await (async () => { const c = createClient({ url: instance.dbUrl }); const r = await c.execute('PRAGMA integrity_check'); c.close(); return r; })()).rows[0]![0])).toBe('ok');
});
