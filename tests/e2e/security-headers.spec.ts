// Every response carries the security headers — the static files of dist/client too, which @astrojs/node serves before
// the middleware (scripts/serve.mjs sets them there) — and what a session sees is never stored by a cache.
import { expect, test, type APIResponse } from './helpers/fixture.ts';
import { signIn } from './helpers/session.ts';

function expectSecurityHeaders(response: APIResponse, what: string): void {
  const headers = response.headers();
  expect(response.status(), what).toBe(200);
  expect(headers['content-security-policy'], what).toContain("frame-ancestors 'self'");
  expect(headers['content-security-policy'], what).toContain("object-src 'none'");
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['x-frame-options'], what).toBe('SAMEORIGIN');
  expect(headers['referrer-policy'], what).toBe('strict-origin-when-cross-origin');
}

test('static files from dist/client carry the security headers and stay cacheable', async ({ request }) => {
  const home = await (await request.get('/es/')).text();
  const asset = home.match(/(?:href|src)="(\/_astro\/[^"]+\.(?:css|js))"/)?.[1];
  expect(asset, 'the home page links an /_astro/ asset').toBeTruthy();
  const astroAsset = await request.get(asset!);
  expectSecurityHeaders(astroAsset, asset!);
  expect(astroAsset.headers()['cache-control']).toContain('immutable');
  for (const path of ['/h5p-player/main.bundle.js', '/h5p-player/frame.bundle.js', '/favicon.svg']) expectSecurityHeaders(await request.get(path), path);
  // A page keeps its own policy (with script and style hashes), not the fallback.
  const page = await request.get('/es/');
  expectSecurityHeaders(page, '/es/');
  expect(page.headers()['content-security-policy']).toContain('script-src');
});

test('a signed-in page view leaves the session cookie alone: it is sent again only when the session is extended', async ({ page }) => {
  await signIn(page, 'oficial@demo.capacita.test');
  for (const path of ['/es/learning', '/es/courses', '/en/learning']) {
    const response = await page.request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['set-cookie'], path).toBeUndefined();
    expect(response.headers()['cache-control'], path).toBe('no-store');
  }
  // The cookie the browser holds still signs every request in.
  await page.goto('/es/learning');
  await expect(page).toHaveURL(/\/es\/learning$/);
});

test('every response to a signed-in session says no-store; public pages seen anonymously do not', async ({ page, playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  expect((await anonymous.get('/es/courses')).headers()['cache-control'] ?? '').not.toContain('no-store');

  await signIn(page, 'oficial@demo.capacita.test');
  for (const path of ['/es/learning', '/es/courses', '/es/account/data.json', '/api/h5p-state/bas-clasificar-es']) {
    const response = await page.request.get(path);
    expect(response.headers()['cache-control'], path).toBe('no-store');
    expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
  }
  // Signing in sets a cookie: that answer is not stored either.
  const login = await anonymous.post('/es/login?_action=auth.signIn', { form: { email: 'oficial@demo.capacita.test', password: 'capacita-demo-2026' }, headers: { Origin: baseURL! }, maxRedirects: 0 });
  expect(login.headers()['set-cookie']).toBeTruthy();
  expect(login.headers()['cache-control']).toBe('no-store');
});
