// The error pages a person can meet: a 404 answers in the language of the address (not the browser's), and an
// unexpected failure shows a translated page with a reference that the server log carries with the stack trace —
// never the home page. The failure is a real one: a table the page reads is taken away under a running server.
import { createClient } from '@libsql/client';
import { expect, test } from './helpers/fixture.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';

test.describe('not found', () => {
  test.use({ extraHTTPHeaders: { 'Accept-Language': 'es-419,es;q=0.9' } });

  test('an unknown course under /en/ answers in English even to a Spanish browser, and /es/ in Spanish', async ({ page }) => {
    const english = await page.goto('/en/courses/no-such-course');
    expect(english?.status()).toBe(404);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await expect(page.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/en/');

    const other = await page.goto('/en/no-such-page');
    expect(other?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');

    const spanish = await page.goto('/es/courses/no-such-course');
    expect(spanish?.status()).toBe(404);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Página no encontrada');
  });
});

test.describe('server error', () => {
  let instance: Instance;

  test.beforeAll(async () => {
    instance = await createInstance(await freePort());
    await instance.start();
  });
  test.afterAll(async () => {
    await instance?.dispose();
  });

  test('a page that fails shows a translated error page with a reference the server logged, not the home page', async ({ page }, testInfo) => {
    const db = createClient({ url: instance.dbUrl });
    await db.execute('ALTER TABLE countries RENAME TO countries_gone');
    db.close();

    for (const [lang, title] of [['en', 'Something went wrong on the platform'], ['es', 'Ocurrió un error en la plataforma']] as const) {
      const response = await page.goto(`${instance.origin}/${lang}/register`);
      expect(response?.status()).toBe(500);
      expect(response?.headers()['cache-control']).toBe('no-store');
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
      await expect(page.locator('#home-title')).toHaveCount(0);
      const reference = (await page.locator('[data-error-reference]').textContent()) ?? '';
      expect(reference).toMatch(/^E-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await expect.poll(() => instance.stderr()).toContain(`[error ${reference}] GET /${lang}/register`);
      // The stack follows the reference line, so the two are found together in the log.
      expect(instance.stderr()).toContain(`[error ${reference}] GET /${lang}/register\nError: Failed query: select`);
      for (const width of [390, 1366]) {
        await page.setViewportSize({ width, height: 800 });
        await page.screenshot({ path: testInfo.outputPath(`error-500-${lang}-${width}.png`), fullPage: true });
      }
    }
    await expectNoAxeViolations(page, 'on the error page');
  });
});
