// A session that has passed only the password may enter the code (or enrol the factor its role requires), sign out and
// read the privacy page — nothing else, on any path. Every Action of the registry (src/actions/, discovered) is posted
// by RPC and as a form to every page a pending session may see, with input that would be valid; every endpoint and
// download is asked for. None may run: 403 with the translated reason, and the database unchanged. Both ways into the
// state are covered: a factor enrolled voluntarily (a learner) and one the role requires (CAPACITA_REQUIRE_2FA=1).
// Its own server on a free port.
import { createHash } from 'node:crypto';
import { createClient } from '@libsql/client';
import { expect, test } from './helpers/fixture.ts';
import { decodeBase32IgnorePadding, encodeBase64 } from '@oslojs/encoding';
import { generateHOTP, generateTOTP } from '@oslojs/otp';
import { discoverActions } from './helpers/actions.ts';
import { DEMO_PASSWORD } from './helpers/session.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';

// Chosen free when the server starts: fixed ports clashed with other specs and with other runs on the machine.
let PORT = 0;
test.describe.configure({ mode: 'serial', timeout: 180_000 });

const LEARNER = 'oficial@demo.capacita.test'; // enrols a factor voluntarily
const COMMITTEE = 'comite.hn@demo.capacita.test'; // must enrol one (CAPACITA_REQUIRE_2FA=1)
const NEW_PASSWORD = 'una frase nueva bastante larga 2026';
/** Pages a pending session may read (or is sent to): where an exempted path would have let an Action through. */
const FORM_TARGETS = ['/es/two-factor', '/es/two-factor/setup', '/es/privacy', '/es/logout', '/es/', '/healthz'];
const ENDPOINTS: [string, string][] = [
  ['GET', '/es/account/data.json'],
  ['GET', '/es/admin/audit.csv'],
  ['GET', '/es/dashboard/export/coverage'],
  ['GET', '/es/dashboard/report.pdf'],
  ['POST', '/api/xapi'],
  ['PUT', '/api/h5p-state/quiz-demo'],
  ['GET', '/api/xapi/export'],
];

let instance: Instance;
let reader: ReturnType<typeof createClient>;
const { actions } = discoverActions();

async function post(path: string, body: Record<string, string>, token: string | null, cookies: string[] = []) {
  const headers: Record<string, string> = { origin: instance.origin, 'content-type': 'application/x-www-form-urlencoded' };
  const jar = [...(token ? [`capacita_session=${token}`] : []), ...cookies];
  if (jar.length) headers.cookie = jar.join('; ');
  const response = await fetch(`${instance.origin}${path}`, { method: 'POST', headers, body: new URLSearchParams(body).toString(), redirect: 'manual' });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

async function signIn(email: string): Promise<string> {
  const response = await post('/_actions/auth.signIn', { email, password: DEMO_PASSWORD }, null);
  expect(response.status, response.text).toBe(200);
  return response.headers.getSetCookie().find((c) => c.startsWith('capacita_session='))!.split(';')[0]!.split('=')[1]!;
}

async function get(path: string, token: string, method = 'GET') {
  const response = await fetch(`${instance.origin}${path}`, { method, headers: { cookie: `capacita_session=${token}`, origin: instance.origin }, redirect: 'manual' });
  return { status: response.status, text: await response.text(), location: response.headers.get('location') };
}

/** Turns on a factor from a session past the password: the key the setup page shows, and a code from it. */
async function enrolFactor(token: string): Promise<Uint8Array> {
  const page = await get('/es/two-factor/setup', token);
  const manual = page.text.match(/data-testid="totp-key"[^>]*>([A-Z2-7 ]+)</)?.[1];
  expect(manual, 'the setup page shows a key').toBeTruthy();
  const key = decodeBase32IgnorePadding(manual!.replace(/\s+/g, ''));
  const enrolled = await post('/_actions/account.enrolTwoFactor', { code: generateTOTP(key, 30, 6) }, token);
  expect(enrolled.status, enrolled.text).toBe(200);
  return key;
}

async function databaseDigest(): Promise<Record<string, string>> {
  const tables = (await reader.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).rows.map((r) => String(r[0]));
  const digest: Record<string, string> = {};
  // Failed codes are counted and audited on purpose; sessions carry the setup page's pending key.
  for (const table of tables.filter((t) => !['throttle', 'audit_log', 'sessions', '__drizzle_migrations'].includes(t))) {
    const rows = (await reader.execute(`SELECT * FROM "${table}"`)).rows.map((r) => JSON.stringify(Object.values(r)));
    digest[table] = `${rows.length}:${createHash('sha256').update(rows.sort().join('\n')).digest('hex').slice(0, 16)}`;
  }
  return digest;
}

/** Input each Action would accept from its owner, so that only the gate can stop it. */
function validInput(action: string): Record<string, string> {
  const inputs: Record<string, Record<string, string>> = {
    'account.eraseAccount': { password: DEMO_PASSWORD, confirm: 'on' },
    'auth.changePassword': { current: DEMO_PASSWORD, next: NEW_PASSWORD, confirm: NEW_PASSWORD },
    'auth.setLocale': { locale: 'en' },
    'learning.enrol': { course: 'basico-fundamentos' },
    'learning.requestSpecialist': { reason: 'Trabajo en la unidad especializada de la fiscalía.' },
    'account.forgotPassword': { email: LEARNER },
  };
  return inputs[action] ?? { email: LEARNER, password: DEMO_PASSWORD, course: 'basico-fundamentos', locale: 'en', id: '1', code: '123456', name: 'Nombre Cambiado' };
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  instance = await createInstance((PORT = await freePort()), { env: { CAPACITA_REQUIRE_2FA: '1' } });
  await instance.start();
  reader = createClient({ url: instance.dbUrl });
});

test.afterAll(async () => {
  reader?.close();
  await instance?.dispose();
});

const STATES = [
  { state: 'code pending (factor enrolled voluntarily)', email: LEARNER, allowed: ['account.verifyTwoFactor', 'auth.signOut'], page: '/es/two-factor', message: 'Escriba primero el código de su aplicación' },
  { state: 'enrolment pending (factor required for the role)', email: COMMITTEE, allowed: ['account.enrolTwoFactor', 'auth.signOut'], page: '/es/two-factor/setup', message: 'Su cuenta debe usar la verificación en dos pasos' },
] as const;

for (const { state, email, allowed, page, message } of STATES) {
  test(`${state}: no Action of the registry runs, on any path; no endpoint answers`, async () => {
    let key: Uint8Array | null = null;
    if (email === LEARNER) key = await enrolFactor(await signIn(email));
    const token = await signIn(email);
    // An attacker's own key in the cookie the setup page once used: it must not become the account's factor.
    const attackerKey = crypto.getRandomValues(new Uint8Array(20));
    const forgedCookie = `capacita_totp_setup=${encodeURIComponent(encodeBase64(attackerKey))}`;
    const before = await databaseDigest();

    const ran: string[] = [];
    const unclear: string[] = [];
    for (const { name } of actions) {
      if ((allowed as readonly string[]).includes(name)) continue;
      const body = name === 'account.enrolTwoFactor' ? { code: generateTOTP(attackerKey, 30, 6) } : validInput(name);
      const targets = [`/_actions/${name}`, ...FORM_TARGETS.map((path) => `${path}?_action=${name}`)];
      for (const target of targets) {
        const response = await post(target, body, token, [forgedCookie]);
        if (response.status !== 403) ran.push(`${target} → ${response.status}`);
        else if (!response.text.includes(message)) unclear.push(`${target}: ${response.text.slice(0, 120)}`);
      }
    }
    expect(ran, 'every Action is refused with 403').toEqual([]);
    expect(unclear, 'every refusal says why, translated').toEqual([]);

    for (const [method, path] of ENDPOINTS) {
      const response = await get(path, token, method);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(response.text, `${method} ${path}`).toContain(message);
    }
    // Pages lead to the code; the privacy page and the code page are shown.
    for (const path of ['/es/account', '/es/learning', '/es/admin', '/en/dashboard']) {
      const response = await get(path, token);
      expect(response.status, path).toBe(303);
      expect(response.location, path).toBe(path.slice(0, 3) + page.slice(3)); // in the page's language
    }
    expect((await get('/es/privacy', token)).status).toBe(200);
    expect((await get(page, token)).status).toBe(200);

    expect(await databaseDigest(), 'nothing changed').toEqual(before);
    const [user] = (await reader.execute({ sql: 'SELECT totp_key, locale, erased_at FROM users WHERE email_key = ?', args: [email] })).rows;
    expect(user!.erased_at).toBeNull();
    if (key) expect(user!.totp_key).toBe(encodeBase64(key));

    // The Actions the state allows reach their handlers, which refuse the attacker's key on their own: the key being
    // enrolled is the one kept on the session row, never one from a cookie.
    const own = `/_actions/${allowed[0]}`;
    const attempt = await post(own, { code: generateTOTP(attackerKey, 30, 6) }, token, [forgedCookie]);
    expect(attempt.status, attempt.text).toBe(400);
    const [after] = (await reader.execute({ sql: 'SELECT totp_key FROM users WHERE email_key = ?', args: [email] })).rows;
    expect(after!.totp_key).toBe(key ? encodeBase64(key) : null);

    // Past the factor, the same request does its job: the refusals above came from the gate, not from bad input.
    if (key) {
        // The enrolment spent the current step's code; the phone's next one (one step of drift) passes.
      const next = BigInt(Math.floor(Date.now() / 30_000) + 1);
      expect((await post('/_actions/account.verifyTwoFactor', { code: generateHOTP(key, next, 6) }, token)).status).toBe(200);
    } else {
      await enrolFactor(token);
    }
    expect((await post('/es/privacy?_action=auth.setLocale', { locale: 'en' }, token)).status).toBe(200);
    expect((await get('/es/account/data.json', token)).status).toBe(200);

    // Signing out is the third thing a pending session may do.
    const pending = await signIn(email);
    expect((await post('/es/privacy?_action=auth.signOut', {}, pending)).status).toBe(200);
    expect((await reader.execute({ sql: 'SELECT count(*) AS n FROM sessions WHERE id = ?', args: [createHash('sha256').update(pending).digest('hex')] })).rows[0]!.n).toBe(0);
  });
}
