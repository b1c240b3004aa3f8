// The Guía de Indicadores de Sospecha (issue 16.4): filters that work without JavaScript, instant filtering with it,
// the national referral route from the national body's own data, a PDF per sector in both languages, and axe.
import { readFile } from 'node:fs/promises';
import { expect, test } from './helpers/fixture.ts';
import { PDFDocument } from 'pdf-lib';
import { expectNoAxeViolations } from './helpers/a11y';

const visibleCards = (page: import('@playwright/test').Page) => page.locator('[data-guia-list] > li:visible');

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the GET form filters by sector and form of exploitation and searches, on the server', async ({ page }) => {
    await page.goto('/es/guia');
    const total = await visibleCards(page).count();
    expect(total).toBeGreaterThan(20);

    await page.getByLabel('Sector').selectOption('health');
    await page.getByLabel('Forma de explotación').selectOption('sexual');
    await page.getByRole('button', { name: 'Aplicar filtros' }).click();
    await expect(page).toHaveURL(/sector=health/);
    await expect(page).toHaveURL(/form=sexual/);
    const cards = visibleCards(page);
    await expect(cards.filter({ hasText: 'tatuajes' })).toHaveCount(1);
    await expect(cards.filter({ hasText: 'Vive en grupo en el lugar de trabajo' })).toHaveCount(0);
    const filtered = await cards.count();
    expect(filtered).toBeLessThan(total);
    await expect(page.locator('[data-guia-count]')).toHaveText(`${filtered} de ${total} indicadores`);

    // Accents do not matter; every indicator says what to do and links to the referral route.
    await page.goto('/es/guia?q=nina+no+acompanado');
    const unaccompanied = visibleCards(page).filter({ hasText: 'no acompañado' });
    await expect(unaccompanied).toHaveCount(1);
    await expect(unaccompanied.getByText('Persona en riesgo')).toBeVisible();
    await unaccompanied.getByText('Qué hacer:').click();
    await expect(unaccompanied.getByText(/persona tutora/)).toBeVisible();
    await expect(unaccompanied.getByRole('link', { name: 'Ruta nacional de referencia' })).toHaveAttribute('href', '#ruta');

    await page.goto('/es/guia?q=palabrasinningunresultado');
    await expect(visibleCards(page)).toHaveCount(0);
    await expect(page.getByText('Ningún indicador coincide')).toBeVisible();
  });

  test("the referral route is the chosen country's national body, with only the contacts it configured", async ({ page }) => {
    await page.goto('/es/guia?country=HN');
    const route = page.locator('#ruta');
    await expect(route).toContainText('Honduras');
    await expect(route).toContainText('Comisión Interinstitucional contra la Explotación Sexual Comercial y Trata de Personas');
    await expect(route.getByText('Línea de denuncia')).toBeVisible();

    await page.goto('/es/guia?country=CR');
    await expect(page.locator('#ruta')).toContainText('CONATT');
    await expect(page.locator('#ruta')).toContainText('aún no ha publicado aquí su línea');
    await expect(page.locator('#ruta').getByText('Línea de denuncia')).toHaveCount(0);
  });
});

test('with JavaScript the list filters as one types, and the address follows', async ({ page }) => {
  await page.goto('/en/guia');
  const total = await visibleCards(page).count();
  await page.getByLabel('Search').fill('tattoos');
  await expect(visibleCards(page)).toHaveCount(1);
  await expect(visibleCards(page)).toContainText('tattoos');
  await expect(page).toHaveURL(/\/en\/guia\?q=tattoos$/);
  await page.getByLabel('Search').fill('');
  await expect(visibleCards(page)).toHaveCount(total);
  await page.getByLabel('Kind of indicator').selectOption('risk');
  await expect(page).toHaveURL(/kind=risk/);
  const risk = await visibleCards(page).count();
  expect(risk).toBeGreaterThan(3);
  expect(risk).toBeLessThan(total);
  await expect(page.locator('[data-guia-count]')).toHaveText(`${risk} of ${total} indicators`);
});

test('the guide is reachable from the header, passes axe in both languages, and gives a PDF per sector', async ({ page }) => {
  await page.goto('/es/');
  await page.locator('.site-header').getByRole('link', { name: 'Guía de indicadores' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Guía de Indicadores de Sospecha' })).toBeVisible();
  await expectNoAxeViolations(page, '/es/guia');

  await page.goto('/en/guia?country=MX');
  await expectNoAxeViolations(page, '/en/guia');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'PDF — Health' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('indicators-guide-health-mx.pdf');
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  const pdf = await PDFDocument.load(bytes);
  expect(pdf.getTitle()).toBe('Guide to Indicators of Suspicion — Health');
  expect(pdf.getPageCount()).toBeGreaterThan(0);

  const spanish = await page.request.get('/es/guia/child_protection.pdf');
  expect(spanish.status()).toBe(200);
  expect(spanish.headers()['content-type']).toBe('application/pdf');
  expect((await PDFDocument.load(await spanish.body())).getTitle()).toBe('Guía de Indicadores de Sospecha — Protección de la niñez');
  expect((await page.request.get('/es/guia/army.pdf')).status()).toBe(404);
});
