// Bad input: every Action (found by reading src/actions/, so new ones are covered without touching this file) and
// every API endpoint (src/pages/**/*.ts) gets malformed, oversized, wrong-typed, missing-field, unicode-edge and
// injection-shaped payloads, signed out and signed in. Every answer must be a 4xx with a message — never a 5xx — and
// the database must be unchanged. Its own server (dist-test) on a free port with its own temp database; bounded.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { createInstance, freePort, type Instance } from './support/instance.ts';
import { discoverActions } from './helpers/actions.ts';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

// ── Discovery ────────────────────────────────────────────────────────────────────────────────────────────────
interface EndpointInfo {
  file: string;
  path: string; // with sample params
  methods: string[];
  params: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function discoverEndpoints(): EndpointInfo[] {
  return walk('src/pages')
    .filter((f) => /\.(ts|js)$/.test(f))
    .map((file) => {
      const source = readFileSync(file, 'utf8');
      const methods = [...source.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|ALL)\b/g)].map((m) => m[1]!);
      const route = '/' + relative('src/pages', file).replace(/\\/g, '/').replace(/\.(ts|js)$/, '').replace(/(^|\/)index$/, '');
      const params = [...route.matchAll(/\[(?:\.\.\.)?(\w+)\]/g)].map((m) => m[1]!);
      return { file, path: route.replace(/\[lang\]/g, 'es'), methods, params: params.filter((p) => p !== 'lang') };
    });
}

// ── Payloads ─────────────────────────────────────────────────────────────────────────────────────────────────
const EVIL: Record<string, string> = {
  empty: '',
  blank: '   \t\n',
  nul: 'a\u0000b',
  loneSurrogate: '\uD800x',
  rtlOverride: '\u202Egnp.exe',
  zeroWidth: '\u200B\u200D\uFEFF',
  emojiZwj: '👩🏽‍⚖️👨‍👩‍👧‍👦'.repeat(20),
  combining: 'e' + '\u0301'.repeat(500),
  sqlQuote: "' OR '1'='1' --",
  sqlDrop: "x'); DROP TABLE users; --",
  sqlUnion: '1 UNION SELECT password_hash FROM users',
  html: '<script>alert(1)</script><img src=x onerror=alert(1)>',
  template: '${7*7}{{7*7}}<%= 7*7 %>',
  path: '../../../../etc/passwd',
  negative: '-1',
  zero: '0',
  huge: '99999999999999999999999999999',
  float: '1e309',
  nan: 'NaN',
  proto: '__proto__',
  objectish: '[object Object]',
  json: '{"$gt":""}',
  crlf: 'a\r\nSet-Cookie: x=1',
  long: 'x'.repeat(200_000),
};
/** Plausible-looking but never valid together: unknown ids, a missing partner field. */
const PLAUSIBLE: Record<string, string> = { email: 'nobody@example.test', password: 'not-the-password', course: 'curso-inexistente', lesson: 'leccion-inexistente', attempt: '999999', question: 'q-inexistente', locale: 'xx', country: 'ZZ', kind: 'alien', institution: '999999', code: 'NOPE-NOPE', name: 'A' };

interface Payload {
  label: string;
  /** Well-formed, only pointing at things that do not exist: it may be valid input for an Action that needs no more
   * (e.g. forgotPassword answers every e-mail alike). It must still change nothing and never answer 5xx. */
  plausible?: boolean;
  contentType?: string;
  body?: string | Uint8Array;
}

function urlencoded(entries: [string, string][]): string {
  return new URLSearchParams(entries).toString();
}

function payloadsFor(fields: string[], { oversized }: { oversized: boolean }): Payload[] {
  const out: Payload[] = [
    { label: 'no body' },
    { label: 'empty form', contentType: 'application/x-www-form-urlencoded', body: '' },
    { label: 'empty json', contentType: 'application/json', body: '' },
    { label: 'malformed json', contentType: 'application/json', body: '{"course": "a",' },
    { label: 'json array', contentType: 'application/json', body: '[1,2,3]' },
    { label: 'json null', contentType: 'application/json', body: 'null' },
    { label: 'json prototype pollution', contentType: 'application/json', body: '{"__proto__":{"role":"admin"},"constructor":{"prototype":{"role":"admin"}}}' },
    { label: 'json wrong types', contentType: 'application/json', body: JSON.stringify(Object.fromEntries(fields.map((f, i) => [f, [123, true, null, [], {}, 1.5][i % 6]]))) },
    { label: 'text/plain', contentType: 'text/plain', body: 'course=basico' },
    { label: 'xml', contentType: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
    { label: 'multipart without boundary', contentType: 'multipart/form-data', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--' },
    { label: 'multipart broken', contentType: 'multipart/form-data; boundary=zzz', body: '--zzz\r\nContent-Disposition: form-data; name="course"\r\n\r\nunterminated' },
    { label: 'bad percent-encoding', contentType: 'application/x-www-form-urlencoded', body: 'course=%E0%A4%A&lesson=%ZZ' },
    { label: 'invalid utf-8 bytes', contentType: 'application/x-www-form-urlencoded', body: new Uint8Array([0x63, 0x6f, 0x75, 0x72, 0x73, 0x65, 0x3d, 0xff, 0xfe, 0xc3, 0x28]) },
    { label: 'duplicated fields', contentType: 'application/x-www-form-urlencoded', body: urlencoded(fields.flatMap((f) => [[f, 'a'], [f, 'b']] as [string, string][])) },
    { label: 'unknown fields only', contentType: 'application/x-www-form-urlencoded', body: urlencoded([['zzz', '1'], ['role', 'admin'], ['userId', '1']]) },
  ];
  for (const [name, value] of Object.entries(EVIL)) {
    out.push({ label: `all fields ${name}`, contentType: 'application/x-www-form-urlencoded', body: urlencoded(fields.map((f) => [f, value])) });
  }
  for (const field of fields) {
    out.push({ plausible: true, label: `only ${field}`, contentType: 'application/x-www-form-urlencoded', body: urlencoded([[field, PLAUSIBLE[field] ?? 'x']]) });
    out.push({ plausible: true, label: `all plausible but ${field} injected`, contentType: 'application/x-www-form-urlencoded', body: urlencoded(fields.map((f) => [f, f === field ? EVIL.sqlDrop! : PLAUSIBLE[f] ?? 'x'])) });
  }
  if (oversized) out.push({ label: 'oversized 9 MiB', contentType: 'application/x-www-form-urlencoded', body: 'course=' + 'x'.repeat(9 * 1024 * 1024) });
  return out;
}

// ── Harness ──────────────────────────────────────────────────────────────────────────────────────────────────
let instance: Instance;
let reader: ReturnType<typeof createClient>;
const IGNORED_TABLES = new Set(['throttle', 'audit_log', 'sessions', '__drizzle_migrations']); // failed sign-ins are counted and audited on purpose

async function databaseDigest(): Promise<Record<string, string>> {
  const tables = (await reader.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).rows.map((r) => String(r[0]));
  const digest: Record<string, string> = {};
  for (const table of tables) {
    if (IGNORED_TABLES.has(table)) continue;
    const rows = (await reader.execute(`SELECT * FROM "${table}"`)).rows.map((r) => JSON.stringify(Object.values(r)));
    digest[table] = `${rows.length}:${createHash('sha256').update(rows.sort().join('\n')).digest('hex').slice(0, 16)}`;
  }
  return digest;
}

interface Outcome {
  target: string;
  label: string;
  plausible?: boolean;
  status: number;
  message: boolean;
}

async function send(url: string, payload: Payload, cookie: string | null, method = 'POST', origin = true): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (payload.contentType) headers['content-type'] = payload.contentType;
  if (cookie) headers.cookie = `capacita_session=${cookie}`;
  if (origin) headers.origin = instance.origin;
  try {
    const response = await fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : (payload.body as BodyInit | undefined), redirect: 'manual' });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    // The server answers an oversized body's declared length with 413 without reading the body; when it closes the
    // connection while this client is still uploading, the client sees the socket close instead of the answer (on a
    // loaded machine it usually finishes first). That is the refusal, for that payload only; anything else throws.
    if (payload.label.startsWith('oversized') && /other side closed|ECONNRESET|EPIPE/.test(String((error as { cause?: unknown }).cause ?? error))) {
      return { status: 413, text: 'connection closed before the upload finished' };
    }
    throw error;
  }
}

function hasMessage(status: number, text: string): boolean {
  if (status < 400) return true;
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown; issues?: unknown };
    return Boolean(json.message || json.error || json.issues);
  } catch {
    return text.trim().length > 0; // an HTML page with the form and its messages, or a plain-text reason
  }
}

async function runAll(jobs: Array<() => Promise<Outcome>>, concurrency = 4): Promise<Outcome[]> {
  const results: Outcome[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) results.push(await jobs[next++]!());
    }),
  );
  return results;
}

async function signInToken(email: string): Promise<string> {
  const response = await fetch(`${instance.origin}/_actions/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: instance.origin },
    body: urlencoded([['email', email], ['password', 'capacita-demo-2026']]),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('capacita_session='))!;
  return cookie.split(';')[0]!.split('=')[1]!;
}

const { actions, fields } = discoverActions();
// account.updateProfile: both fields are optional answers (an empty form clears them), and any short text is a position.
const ANY_TEXT_IS_VALID = new Set(['learning.requestSpecialist', 'account.changeName', 'reminders.setPreferences', 'account.updateProfile']);
const endpoints = discoverEndpoints();
const totals = { requests: 0, payloads: new Set<string>() };
const tokens = { learner: '', coordinator: '' };

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // A free port, not a fixed one: a server already listening there (another run of this suite) would answer
  // /healthz and take these requests in place of this run's own server.
  instance = await createInstance(await freePort());
  await instance.start();
  reader = createClient({ url: instance.dbUrl });
  // Signed in before the fuzzing: hundreds of failed sign-ins from 127.0.0.1 rightly throttle that address after.
  tokens.learner = await signInToken('oficial@demo.capacita.test');
  tokens.coordinator = await signInToken('coordinacion@demo.capacita.test');
});

test.afterAll(async () => {
  reader?.close();
  await instance?.dispose();
  console.log(`fuzz: ${totals.requests} requests, ${totals.payloads.size} distinct payloads, ${actions.length} actions, ${endpoints.length} endpoints`);
});

test('discovers the Actions and endpoints', () => {
  expect(actions.length).toBeGreaterThanOrEqual(6);
  expect(actions.map((a) => a.name)).toContain('auth.signIn');
  expect(endpoints.map((e) => e.path)).toContain('/healthz');
});

for (const phase of ['signed out', 'signed in'] as const) {
  test(`every Action answers bad input with a 4xx and changes nothing (${phase})`, async () => {
    const cookie = phase === 'signed in' ? tokens.learner : null;
    const before = await databaseDigest();
    const jobs: Array<() => Promise<Outcome>> = [];
    for (const action of actions) {
      // Signed in, an Action without input (sign out, a plain request) would simply do its job: nothing to fuzz.
      if (phase === 'signed in' && action.ignoresInput) continue;
      // For these any text is valid input (a unit and a reason in free text, a name such as "NaN", checkboxes whose
      // absence means "off"), so "refused and unchanged" cannot hold signed in; signed out they must still refuse,
      // and their validation has unit tests (specialist-request, certificates-names, reminders-*).
      if (phase === 'signed in' && ANY_TEXT_IS_VALID.has(action.name)) continue;
      for (const payload of payloadsFor(fields, { oversized: true })) {
        totals.payloads.add(payload.label);
        // RPC (what a script would call) …
        jobs.push(async () => {
          const { status, text } = await send(`${instance.origin}/_actions/${action.name}`, payload, cookie);
          return { target: `rpc ${action.name}`, label: payload.label, plausible: payload.plausible, status, message: hasMessage(status, text) };
        });
        // … and the no-JavaScript form post to a page, for the form-encoded payloads.
        if (payload.contentType?.startsWith('application/x-www-form-urlencoded') && !/^(oversized|only |all plausible)/.test(payload.label)) {
          jobs.push(async () => {
            const { status, text } = await send(`${instance.origin}/es/?_action=${action.name}`, payload, cookie);
            return { target: `form ${action.name}`, label: payload.label, status, message: hasMessage(status, text) };
          });
        }
      }
      // Cross-site form posts are refused whatever they carry.
      jobs.push(async () => {
        const { status, text } = await send(`${instance.origin}/_actions/${action.name}`, { label: 'cross-site', contentType: 'application/x-www-form-urlencoded', body: 'a=b' }, cookie, 'POST', false);
        return { target: `rpc ${action.name}`, label: 'no Origin header', status, message: hasMessage(status, text) };
      });
    }
    const outcomes = await runAll(jobs);
    totals.requests += outcomes.length;
    const fivexx = outcomes.filter((o) => o.status >= 500);
    expect(fivexx.map((o) => `${o.target} [${o.label}] → ${o.status}`), 'no 5xx').toEqual([]);
    const notRefused = outcomes.filter((o) => o.status < 400 && !o.plausible && !actions.find((a) => o.target.endsWith(` ${a.name}`))?.ignoresInput);
    expect(notRefused.map((o) => `${o.target} [${o.label}] → ${o.status}`), 'bad input is refused').toEqual([]);
    expect(outcomes.filter((o) => !o.message).map((o) => `${o.target} [${o.label}]`), 'every refusal says why').toEqual([]);
    expect(await databaseDigest()).toEqual(before);
    console.log(`fuzz (${phase}): ${outcomes.length} requests to ${actions.length} Actions, statuses ${JSON.stringify(countBy(outcomes.map((o) => o.status)))}`);
  });
}

/** encodeURIComponent, except that a lone surrogate becomes its raw (invalid UTF-8) bytes: fuzz for the path. */
function safeEncode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80x';
  }
}

function countBy(values: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

test('every endpoint answers bad input and unexpected methods without a 5xx', async () => {
  const cookie = tokens.coordinator;
  const before = await databaseDigest();
  const jobs: Array<() => Promise<Outcome>> = [];
  const payloads = payloadsFor(['code', 'id', 'statement'], { oversized: true }).filter((_, i) => i % 2 === 0 || i < 16);
  for (const endpoint of endpoints) {
    const samples = endpoint.params.length ? Object.values(EVIL).slice(0, 16).map((v) => v.slice(0, 300)).concat(['x', 'NOPE-0000']) : [''];
    for (const sample of samples) {
      let path = endpoint.path;
      for (const param of endpoint.params) path = path.replace(new RegExp(`\\[(\\.\\.\\.)?${param}\\]`), safeEncode(sample) || '%20');
      for (const auth of [null, cookie]) {
        for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']) {
          const bodies = method === 'GET' ? [{ label: 'query', contentType: undefined }] : endpoint.methods.includes(method) ? payloads : [payloads[1]!];
          for (const payload of bodies) {
            totals.payloads.add(`${payload.label}`);
            jobs.push(async () => {
              const query = method === 'GET' ? `?q=${encodeURIComponent(EVIL.sqlDrop!)}&x=%ZZ` : '';
              const { status, text } = await send(`${instance.origin}${path}${query}`, payload, auth, method);
              return { target: `${method} ${endpoint.path} (${sample.slice(0, 20)})`, label: payload.label, status, message: hasMessage(status, text) };
            });
          }
        }
      }
    }
  }
  const outcomes = await runAll(jobs);
  totals.requests += outcomes.length;
  expect(outcomes.filter((o) => o.status >= 500 && !o.target.includes('/healthz')).map((o) => `${o.target} [${o.label}] → ${o.status}`), 'no 5xx').toEqual([]);
  // Methods an endpoint does not define are refused.
  const accepted = outcomes.filter((o) => o.status < 400 && !o.target.startsWith('GET') && !endpoints.some((e) => o.target.startsWith(`${o.target.split(' ')[0]} ${e.path}`) && e.methods.includes(o.target.split(' ')[0]!)));
  expect(accepted.map((o) => `${o.target} → ${o.status}`)).toEqual([]);
  expect(await databaseDigest()).toEqual(before);
  console.log(`fuzz (endpoints): ${outcomes.length} requests to ${endpoints.length} endpoints, statuses ${JSON.stringify(countBy(outcomes.map((o) => o.status)))}`);
});

test('queued attendance marks (offline sync) that are junk are refused one by one with a reason, and change nothing', async () => {
  const cookie = tokens.coordinator;
  const [row] = (await reader.execute("SELECT id FROM users WHERE email = 'coordinacion@demo.capacita.test'")).rows;
  const learner = Number(row![0]);
  const id = (n: number) => `fuzz-attendance-${String(n).padStart(6, '0')}`;
  const base = { kind: 'attendance', lang: 'es', queuedAt: 1, session: 1, person: 1, present: true };
  const junk: Record<string, unknown>[] = [
    { ...base, id: id(1), present: 'yes' },
    { ...base, id: id(2), present: 1 },
    { ...base, id: id(3), session: -1 },
    { ...base, id: id(4), session: 1.5 },
    { ...base, id: id(5), session: EVIL.sqlDrop },
    { ...base, id: id(6), person: null },
    { ...base, id: id(7), person: Number(EVIL.huge) },
    { ...base, id: id(8), person: undefined },
    { ...base, id: EVIL.sqlQuote },
    { ...base, id: id(10), lang: 'xx' },
    { ...base, id: id(11), kind: 'attendanceSheet' },
    { ...base, id: id(12), __proto__: { present: true }, present: undefined },
  ];
  const before = await databaseDigest();
  const body = JSON.stringify({ learner, items: junk });
  const { status, text } = await send(`${instance.origin}/api/offline-sync`, { label: 'junk attendance items', contentType: 'application/json', body }, cookie);
  expect(status).toBe(200);
  const answers = (JSON.parse(text) as { answers: { outcome: string; reason?: string; message?: string }[] }).answers;
  expect(answers).toHaveLength(junk.length);
  expect(answers.filter((a) => a.outcome !== 'rejected' || a.reason !== 'offline.sync.invalidItem' || !a.message)).toEqual([]);
  expect(await databaseDigest()).toEqual(before);

  // Well formed, naming a day that does not exist: refused with its reason, kept as a receipt and nothing else.
  const plausible = await send(`${instance.origin}/api/offline-sync`, { label: 'unknown day', contentType: 'application/json', body: JSON.stringify({ learner, items: [{ ...base, id: id(20), session: 999_999 }] }) }, cookie);
  expect(JSON.parse(plausible.text).answers).toMatchObject([{ outcome: 'rejected', reason: 'workshops.offline.unknownSession' }]);
  const after = await databaseDigest();
  expect(Object.keys(after).filter((table) => after[table] !== before[table])).toEqual(['offline_sync_receipts']);
});
