import { expect, test, type Page } from './helpers/fixture.ts';
import { parseCsv } from './helpers/csv.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { signIn } from './helpers/session.ts';

/** The cells of a rendered report table, row by row (header row excluded). */
async function tableRows(page: Page, id: string): Promise<string[][]> {
  return page.locator(`#table-${id} tbody tr`).evaluateAll((rows) => rows.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent!.trim())));
}

/** Screen and CSV write numbers differently (1.234 / 24,0 % vs 1234 / 24.0): compare what identifies the value. */
const same = (cell: string) => (/\d/.test(cell) ? cell.replace(/[^\d<]/g, '') : cell === '—' ? '' : cell);

test.describe('committee of Guatemala', () => {
  test.beforeEach(async ({ page }) => signIn(page, 'comite.gt@demo.capacita.test'));

  test('sees Guatemala’s figures, and the CSV has the rows on screen', async ({ page }) => {
    await page.goto('/es/dashboard');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Panel de seguimiento: Guatemala');
    const screen = await tableRows(page, 'coverage-institutions');
    expect(screen.length).toBeGreaterThan(3);
    expect(screen.map((r) => r[0]).join(' ')).toContain('Instituto Guatemalteco de Migración');
    expect(screen.map((r) => r[0]).join(' ')).not.toContain('Honduras');
    for (const view of ['coverage-institutions', 'funnel', 'refreshers']) {
      const href = await page.locator(`#table-${view} .exports a`).first().getAttribute('href');
      expect(href).toContain('format=csv');
      const response = await page.request.get(href!);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain('text/csv');
      const [header, ...rows] = parseCsv(await response.text());
      const onScreen = await tableRows(page, view);
      expect(header!.length).toBe((await page.locator(`#table-${view} thead th`).count()));
      expect(rows.map((r) => r.map(same))).toEqual(onScreen.filter((r) => r.length > 1).map((r) => r.map(same)));
    }
    // Charts are drawn (JavaScript on), each next to its table.
    await expect(page.locator('figure.chart canvas').first()).toBeVisible();
    await expectNoAxeViolations(page, 'committee dashboard');
  });

  test('cannot reach Honduras by URL or by a crafted export request', async ({ page }) => {
    const response = await page.goto('/es/dashboard/country/HN');
    expect(response!.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Acceso no permitido');
    for (const path of [
      '/es/dashboard/export/funnel?country=HN&format=csv',
      '/es/dashboard/export/refresher-people?country=HN&format=csv',
      '/es/dashboard/export/coverage-institutions?country=hn&format=xlsx',
      '/es/dashboard/export/region-coverage?format=csv',
      '/es/dashboard/report.pdf?scope=HN',
      '/es/dashboard/report.pdf?scope=region',
    ]) {
      expect((await page.request.get(path)).status(), path).toBe(403);
    }
    expect((await page.goto('/es/dashboard/country/HN/refreshers'))!.status()).toBe(403);
    expect((await page.goto('/es/dashboard/report?scope=HN'))!.status()).toBe(403);
  });

  test('has the refresher list with names, item analysis and the semester report', async ({ page }) => {
    await page.goto('/es/dashboard/country/GT/refreshers');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Guatemala');
    const names = (await tableRows(page, 'refresher-people')).filter((r) => r.length > 1);
    const csv = parseCsv(await (await page.request.get('/es/dashboard/export/refresher-people?country=GT&format=csv')).text());
    // The page shows 100 names at a time; the export has them all, the first ones in the same order.
    expect(csv.length - 1).toBe(Number(await page.locator('#refresher-total').getAttribute('data-total')));
    expect(csv.slice(1, names.length + 1).map((r) => r[0])).toEqual(names.map((r) => r[0]));
    await expectNoAxeViolations(page, 'refresher list');

    await page.goto('/es/dashboard/country/GT/items');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Análisis de preguntas');
    await expectNoAxeViolations(page, 'item analysis');

    await page.goto('/es/dashboard/report');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Informe semestral');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Guatemala');
    await expectNoAxeViolations(page, 'semester report');
    const pdf = await page.request.get('/es/dashboard/report.pdf?scope=GT');
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

test('the coordinator sees every country side by side and drills into Guatemala and Honduras', async ({ page }) => {
  await signIn(page, 'coordinacion@demo.capacita.test');
  await page.goto('/es/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Panel regional');
  const countries = (await tableRows(page, 'region-coverage')).map((r) => r[0]);
  expect(countries).toEqual(expect.arrayContaining(['Guatemala', 'Honduras', 'Región']));
  await expectNoAxeViolations(page, 'regional dashboard');
  for (const code of ['GT', 'HN']) {
    const response = await page.goto(`/es/dashboard/country/${code}`);
    expect(response!.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(code === 'GT' ? 'Guatemala' : 'Honduras');
  }
  expect((await page.request.get('/es/dashboard/export/refresher-people?country=HN&format=csv')).status()).toBe(200);
});

test('the observer sees regional aggregates with small cells hidden and no names anywhere', async ({ page }) => {
  await signIn(page, 'observador@demo.capacita.test', undefined, 'en');
  await page.goto('/en/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Regional dashboard');
  const body = await page.locator('main').innerText();
  expect(body).toContain('*');
  expect(body).not.toContain('<5');
  expect(body).not.toMatch(/@|persona\d/);
  // No drill-down into a country, no person-level list, no link to either.
  await expect(page.locator('a[href*="/dashboard/country/"]')).toHaveCount(0);
  expect((await page.goto('/en/dashboard/country/GT'))!.status()).toBe(403);
  for (const path of ['/en/dashboard/export/refresher-people?country=GT', '/en/dashboard/export/coverage-institutions?country=GT', '/en/dashboard/country/GT/items']) {
    expect((await page.request.get(path)).status(), path).toBe(403);
  }
  // Its exports are protected the same way: every people count is ≥ 5 or hidden ("*"), every country has its row.
  const csv = parseCsv(await (await page.request.get('/en/dashboard/export/region-funnel?format=csv')).text());
  for (const row of csv.slice(1)) for (const cell of row.slice(1, 5)) expect(cell === '*' || Number(cell) >= 5, `${row[0]}: ${cell}`).toBe(true);
  expect(csv.length - 1).toBe(10); // nine countries and the region
  await page.goto('/en/dashboard');
  await expectNoAxeViolations(page, 'observer dashboard');
});

test('without JavaScript the dashboard is its tables', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, 'comite.gt@demo.capacita.test');
  await page.goto('/es/dashboard?track=basico');
  await expect(page.locator('#table-coverage tbody tr')).toHaveCount(1);
  await expect(page.locator('figure.chart').first()).toBeHidden();
  await context.close();
});
