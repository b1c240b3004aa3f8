// The dashboards' figures against a small population whose answers are worked out by hand below, on a server of its
// own (empty but for the reference data and demo accounts; targets replaced by the ones here). And the observer's
// exports under a differencing attack over HTTP: every table, unfiltered and per track, with the totals — no hidden
// cell may be worked out, and a URL asking for an institution or a date range changes nothing.
import { expect, test, type Browser, type Page } from './helpers/fixture.ts';
import { parseCsv } from './helpers/csv.ts';
import { eq, sql } from 'drizzle-orm';
import { openDatabase } from '../../db/client.ts';
import { PROGRAMMES, users } from '../../db/schema.ts';
import { createSession, generateSessionToken } from '../../src/server/auth/session.ts';
import { closedSemesters } from '../../src/server/reports/semesters.ts';
import { addPerson, anyInstitution, clearTargets, DAY, derivable, revoke, setTarget, takeCourse, type Equation } from '../unit/helpers/reports.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';

// Chosen free when the server starts: fixed ports clashed with other specs and with other runs on the machine.
let PORT = 0;
const NOW = Date.now();
const S = closedSemesters(NOW)[0]!; // the latest closed semester: what an observer sees by default
let instance: Instance;
const tokens: Record<'committee' | 'coordinator' | 'observer', string> = { committee: '', coordinator: '', observer: '' };
let g1 = 0;
let g2 = 0;

/*
 * The population (every event inside semester S unless said otherwise; certificates valid 730 days):
 *   Guatemala g1: 3 complete Básico; 1 starts Básico and stops; 1 completed Básico 1 200 days ago (expired).
 *   Guatemala g2: 3 complete Básico, one of them revoked yesterday; one of the others also completes Especializado.
 *   Honduras h1:  6 complete Básico; 2 enrol in Medios, one of whom starts and completes it.
 *   Guatemala:    a journalist (no institution) completes Medios.
 * Targets: g1 Básico 10; g2 Básico 4, Especializado 2; h1 Básico 8.
 *
 * Committee of Guatemala, now: Básico g1 3/10 = 30.0 %, g2 2/4 = 50.0 % (the revoked one is out), Guatemala 5/14 =
 * 35.7 %; Especializado g2 1/2 = 50.0 %; Medios 1 holder (the journalist, in "Otras / sin institución"), no target
 * (—). Funnel of basico-fundamentos (all time): enrolled 8, started 8, completed 7,
 * certified 6. Coordination, now: Honduras Básico 6/8 = 75.0 %, region 11/22 = 50.0 %.
 *
 * Observer, semester S as it stood at its end (the revocation came later, so it still counts; the expired one does
 * not): see TRUTH.
 */
const TRUTH: Record<string, Record<string, Partial<Record<string, number>>>> = {
  enrolled: { GT: { basico: 7, especializado: 1, medios: 1 }, HN: { basico: 6, medios: 2 } },
  started: { GT: { basico: 7, especializado: 1, medios: 1 }, HN: { basico: 6, medios: 1 } },
  completed: { GT: { basico: 6, especializado: 1, medios: 1 }, HN: { basico: 6, medios: 1 } },
  certified: { GT: { basico: 6, especializado: 1, medios: 1 }, HN: { basico: 6, medios: 1 } },
  done: { GT: { basico: 6, especializado: 1, medios: 1 }, HN: { basico: 6, medios: 1 } },
  cov: { GT: { basico: 6, especializado: 1, medios: 1 }, HN: { basico: 6 } },
};
const COUNTRIES = ['BZ', 'CR', 'DO', 'GT', 'HN', 'MX', 'NI', 'PA', 'SV'];
const truth = (measure: string, country: string, track: string): number => {
  const places = country === 'region' ? COUNTRIES : [country];
  const tracks = track === 'all' ? [...PROGRAMMES] : [track];
  return places.reduce((s, c) => s + tracks.reduce((x, t) => x + (TRUTH[measure]![c]?.[t] ?? 0), 0), 0);
};

test.beforeAll(async () => {
  test.setTimeout(180_000);
  instance = await createInstance((PORT = await freePort()));
  const db = openDatabase({ url: instance.dbUrl });
  try {
    await clearTargets(db);
    g1 = await anyInstitution(db, 'GT', 0);
    g2 = await anyInstitution(db, 'GT', 1);
    const h1 = await anyInstitution(db, 'HN', 0);
    await setTarget(db, g1, 'basico', 10);
    await setTarget(db, g2, 'basico', 4);
    await setTarget(db, g2, 'especializado', 2);
    await setTarget(db, h1, 'basico', 8);
    const at = S.start + 10 * DAY;
    const story = (userId: number, countryCode: string, institutionId: number, programme: 'basico' | 'especializado' | 'medios', courseId: string, how: 'complete' | 'start' | 'enrol', enrolledAt = at) =>
      takeCourse(db, { userId, countryCode, institutionId, courseId, programme, enrolledAt, startedAt: how === 'enrol' ? null : enrolledAt + DAY, completedAt: how === 'complete' ? enrolledAt + 20 * DAY : null, certificate: how === 'complete' ? { validityDays: 730 } : false });
    for (let i = 0; i < 3; i++) await story(await addPerson(db, 'GT', g1), 'GT', g1, 'basico', 'basico-fundamentos', 'complete');
    await story(await addPerson(db, 'GT', g1), 'GT', g1, 'basico', 'basico-fundamentos', 'start');
    await story(await addPerson(db, 'GT', g1), 'GT', g1, 'basico', 'basico-fundamentos', 'complete', NOW - 1220 * DAY);
    const specialist = await addPerson(db, 'GT', g2);
    await story(specialist, 'GT', g2, 'basico', 'basico-fundamentos', 'complete');
    await story(specialist, 'GT', g2, 'especializado', 'especializado-investigacion', 'complete');
    await story(await addPerson(db, 'GT', g2), 'GT', g2, 'basico', 'basico-fundamentos', 'complete');
    const revoked = await story(await addPerson(db, 'GT', g2), 'GT', g2, 'basico', 'basico-fundamentos', 'complete');
    await revoke(db, revoked.certificateId!, NOW - DAY);
    for (let i = 0; i < 6; i++) await story(await addPerson(db, 'HN', h1), 'HN', h1, 'basico', 'basico-fundamentos', 'complete');
    await story(await addPerson(db, 'HN', h1), 'HN', h1, 'medios', 'medios-cobertura', 'complete');
    await story(await addPerson(db, 'HN', h1), 'HN', h1, 'medios', 'medios-cobertura', 'enrol');
    const [journalist] = await db.all<{ id: number }>(sql`INSERT INTO users (name, email, email_key, role, country_code) VALUES ('Periodista', 'periodista@e2e.capacita.test', 'periodista@e2e.capacita.test', 'journalist', 'GT') RETURNING id`);
    await story(Number(journalist!.id), 'GT', null as unknown as number, 'medios', 'medios-cobertura', 'complete');
    for (const [role, email] of [['committee', 'comite.gt@demo.capacita.test'], ['coordinator', 'coordinacion@demo.capacita.test'], ['observer', 'observador@demo.capacita.test']] as const) {
      const [user] = await db.select({ id: users.id }).from(users).where(eq(users.emailKey, email));
      tokens[role] = generateSessionToken();
      await createSession(db, tokens[role], user!.id, { twoFactorVerified: true });
    }
    expect((await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM enrolments`))[0]!.n).toBeGreaterThan(15);
  } finally {
    db.$client.close();
  }
  await instance.start();
});

test.afterAll(async () => instance?.dispose());

const get = (role: keyof typeof tokens, path: string) => fetch(`${instance.origin}${path}`, { headers: { cookie: `capacita_session=${tokens[role]}` } });

async function csv(role: keyof typeof tokens, path: string): Promise<{ header: string[]; rows: string[][] }> {
  const response = await get(role, path);
  expect(response.status, path).toBe(200);
  const [header, ...rows] = parseCsv(await response.text());
  return { header: header!, rows };
}

async function pageAs(browser: Browser, role: keyof typeof tokens, path: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addCookies([{ name: 'capacita_session', value: tokens[role], url: instance.origin }]);
  const page = await context.newPage();
  const response = await page.goto(`${instance.origin}${path}`);
  expect(response!.status(), path).toBe(200);
  return page;
}

const tableRows = (page: Page, id: string) => page.locator(`#table-${id} tbody tr`).evaluateAll((rows) => rows.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));

test('the committee of Guatemala sees the coverage and funnel worked out by hand', async ({ browser }) => {
  const page = await pageAs(browser, 'committee', '/es/dashboard');
  const byTrack = await tableRows(page, 'coverage');
  expect(byTrack.find((r) => r[0] === 'Básico')).toEqual(['Básico', '5', '14', '35.7 %']);
  expect(byTrack.find((r) => r[0] === 'Especializado')).toEqual(['Especializado', '1', '2', '50.0 %']);
  expect(byTrack.find((r) => r[0] === 'Medios')).toEqual(['Medios', '1', '0', '—']);
  const institutions = await csv('committee', '/es/dashboard/export/coverage-institutions?country=GT&format=csv');
  const col = (name: string) => institutions.header.indexOf(name);
  const names = await page.locator('#table-coverage-institutions tbody th').allTextContents();
  expect(names.length).toBe(institutions.rows.length);
  const holders = institutions.rows.map((r) => [r[col('Básico · Con certificado vigente')], r[col('Básico · Meta')], r[col('Básico · Cobertura (%)')]]);
  expect(holders).toEqual(expect.arrayContaining([['3', '10', '30.0'], ['2', '4', '50.0']]));
  const other = institutions.rows.find((r) => r[0] === 'Otras / sin institución')!;
  expect([other[col('Básico · Con certificado vigente')], other[col('Medios · Con certificado vigente')]]).toEqual(['0', '1']);
  const funnel = await csv('committee', '/es/dashboard/export/funnel?country=GT&format=csv');
  const basico = funnel.rows.find((r) => r[1] === 'Básico')!;
  expect(basico.slice(2, 6)).toEqual(['8', '8', '7', '6']);
  await page.context().close();
});

test('the coordination compares Guatemala, Honduras and the region', async ({ browser }) => {
  const page = await pageAs(browser, 'coordinator', '/es/dashboard');
  const rows = await tableRows(page, 'region-coverage');
  const header = await page.locator('#table-region-coverage thead th').allTextContents();
  const pick = (name: string) => rows.find((r) => r[0] === name)!.slice(header.indexOf('Básico · Con certificado vigente'), header.indexOf('Básico · Cobertura') + 1);
  expect(pick('Guatemala')).toEqual(['5', '14', '35.7 %']);
  expect(pick('Honduras')).toEqual(['6', '8', '75.0 %']);
  expect(pick('Región')).toEqual(['11', '22', '50.0 %']);
  await page.context().close();
});

/** Every observer export of semester S: unfiltered and per track. */
async function observerExports(extra = '') {
  const out: Record<string, { header: string[]; rows: string[][] }> = {};
  for (const view of ['region-funnel', 'region-completions', 'region-coverage'])
    for (const track of ['', ...PROGRAMMES]) out[`${view}|${track}`] = await csv('observer', `/es/dashboard/export/${view}?format=csv&semester=${S.id}${track ? `&track=${track}` : ''}${extra}`);
  return out;
}

const COUNTRY_NAMES: Record<string, string> = { BZ: 'Belice', CR: 'Costa Rica', DO: 'República Dominicana', GT: 'Guatemala', HN: 'Honduras', MX: 'México', NI: 'Nicaragua', PA: 'Panamá', SV: 'El Salvador' };
const TRACK_NAMES: Record<string, string> = { basico: 'Básico', actualizacion: 'Actualización', especializado: 'Especializado', autocuidado: 'Autocuidado', medios: 'Medios' };

test('an observer’s exports show the right figures, every country, and nothing a subtraction can recover', async () => {
  const exports = await observerExports();
  const value = new Map<string, string>();
  const put = (name: string, cell: string) => {
    const known = value.get(name);
    if (known !== undefined) expect(cell, `${name} published twice differently`).toBe(known);
    value.set(name, cell);
  };
  const places = [...COUNTRIES, 'region'];
  for (const [key, table] of Object.entries(exports)) {
    const [view, track] = key.split('|') as [string, string];
    expect(table.rows.map((r) => r[0]).sort(), key).toEqual([...Object.values(COUNTRY_NAMES), 'Región'].sort());
    for (const place of places) {
      const r = table.rows.find((x) => x[0] === (place === 'region' ? 'Región' : COUNTRY_NAMES[place]))!;
      if (view === 'region-funnel') for (const [i, stage] of ['enrolled', 'started', 'completed', 'certified'].entries()) put(`${stage}|${place}|${track || 'all'}`, r[i + 1]!);
      if (view === 'region-completions') {
        if (track) put(`done|${place}|${track}`, r[1]!);
        else PROGRAMMES.forEach((p, i) => put(`done|${place}|${p}`, r[i + 1]!)), put(`done|${place}|all`, r[PROGRAMMES.length + 1]!);
      }
      if (view === 'region-coverage') for (const p of track ? [track] : PROGRAMMES) put(`cov|${place}|${p}`, r[table.header.indexOf(`${TRACK_NAMES[p]} · Con certificado vigente`)]!);
    }
  }
  // Shown figures are the true ones; every true figure under 5 is hidden.
  for (const [name, cell] of value) {
    const [measure, place, track] = name.split('|') as [string, string, string];
    const real = truth(measure, place, track);
    if (cell === '*') continue;
    expect(Number(cell), name).toBe(real);
    expect(real, `${name} is under 5 and shown`).toBeGreaterThanOrEqual(5);
  }
  expect(value.get('enrolled|GT|especializado')).toBe('*'); // 1 specialist
  expect(value.get('enrolled|region|all')).toBe('17');
  // The attacker's equations: a country's tracks add up to its total, the countries to the region's.
  const equations: Equation[] = [];
  const identity = (parts: string[], total: string) => {
    const e: Equation = { terms: new Map(), constant: 0 };
    for (const [name, sign] of [...parts.map((p) => [p, 1] as const), [total, -1] as const]) {
      const v = value.get(name);
      if (v !== undefined && v !== '*') e.constant -= sign * Number(v);
      else e.terms.set(name, (e.terms.get(name) ?? 0) + sign);
    }
    equations.push(e);
  };
  for (const measure of ['enrolled', 'started', 'completed', 'certified', 'done', 'cov']) {
    for (const place of places) identity(PROGRAMMES.map((p) => `${measure}|${place}|${p}`), `${measure}|${place}|all`);
    for (const k of [...PROGRAMMES, 'all']) identity(COUNTRIES.map((c) => `${measure}|${c}|${k}`), `${measure}|region|${k}`);
  }
  const hidden = [...value].filter(([, v]) => v === '*').map(([k]) => k);
  expect(hidden.length).toBeGreaterThan(20);
  expect([...derivable(equations).keys()].filter((k) => hidden.includes(k))).toEqual([]);
});

test('an observer cannot narrow the figures to an institution, a range or the running semester', async () => {
  const plain = await observerExports();
  expect(await observerExports(`&institution=${g1}&sector=migration&course=basico-fundamentos&from=${S.id.slice(0, 4)}-01&to=${S.id.slice(0, 4)}-02`)).toEqual(plain);
  const running = await csv('observer', `/es/dashboard/export/region-funnel?format=csv&semester=${closedSemesters(NOW + 200 * DAY)[0]!.id}`);
  expect(running).toEqual(plain['region-funnel|']);
  // Without a semester, the latest closed one.
  expect(await csv('observer', '/es/dashboard/export/region-funnel?format=csv')).toEqual(plain['region-funnel|']);
});

test('the observer’s page and semester report show the same protected figures as the exports', async ({ browser }) => {
  const page = await pageAs(browser, 'observer', `/en/dashboard?semester=${S.id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Regional dashboard');
  const funnel = await tableRows(page, 'region-funnel');
  expect(funnel.map((r) => r[0])).toContain('Region');
  const region = funnel.find((r) => r[0] === 'Region')!;
  expect(region[1]).toBe('17');
  await expect(page.locator('#f-institution, #f-from, #f-to, #f-sector, #f-course')).toHaveCount(0);
  const report = await pageAs(browser, 'observer', `/en/dashboard/report?scope=region&semester=${S.id}`);
  const countries = await tableRows(report, 'semester-countries');
  expect(countries.map((r) => r[0])).toContain('Region');
  await page.context().close();
  await report.context().close();
});
