// Weight on slow links (issue 16.5): the player and H5P files travel compressed while what a signed-in session sees
// does not (BREACH), the site loads no web font, and a slow link is announced as slow — not as a damaged package —
// while the activity keeps loading.
import { expect, test } from './helpers/fixture.ts';
import { signIn } from './helpers/session';

test('static and H5P files are compressed; signed-in pages are not', async ({ page, request }) => {
  for (const path of ['/h5p-player/frame.bundle.js', '/h5p/libraries/Capacita.Classify-1.0/classify.js', '/es/guia']) {
    const response = await request.get(path, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-encoding'], path).toMatch(/^(gzip|br)$/);
  }
  await signIn(page, 'oficial@demo.capacita.test');
  const signedIn = await page.request.get('/es/guia', { headers: { 'Accept-Encoding': 'gzip, br' } });
  expect(signedIn.headers()['cache-control']).toContain('no-store');
  expect(signedIn.headers()['content-encoding']).toBeUndefined();
});

test('a page loads no web font', async ({ page }) => {
  const fonts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'font') fonts.push(r.url());
  });
  await page.goto('/es/guia');
  await page.waitForLoadState('networkidle');
  expect(fonts).toEqual([]);
});

test('on a slow link the activity says the connection is slow and keeps loading', async ({ page }) => {
  await page.route('**/h5p/libraries/Capacita.Classify-1.0/classify.js', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    await route.continue();
  });
  await page.goto('/es/activities/preview?ids=demo-classify-es');
  const classify = page.locator('section[data-h5p-id="demo-classify-es"]');
  await expect(classify.locator('.h5p-activity__status')).toContainText('La conexión es lenta: la actividad sigue cargando', { timeout: 15_000 });
  await expect(classify).toHaveAttribute('data-h5p-state', 'ready', { timeout: 20_000 });
  await expect(classify.locator('.h5p-activity__status')).not.toContainText('dañado');
});
