// The privacy page tells a researcher how to report a vulnerability (docs/SECURITY.md): privately, at the address the
// deployment configured (SECURITY_CONTACT, set by tests/e2e/server.mjs), with the subject the operator filters on — and
// says so plainly when a deployment has published none. It addresses the reader as "usted".
import { expect, test } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { createInstance, freePort, type Instance } from './support/instance.ts';

const MAILTO = 'mailto:seguridad@capacita.test?subject=Capacita%20security';

test('the privacy page gives the configured security contact, in both languages', async ({ page }) => {
  await page.goto('/es/privacy');
  await expect(page.getByRole('heading', { level: 2, name: 'Cómo informar de una vulnerabilidad' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'seguridad@capacita.test' })).toHaveAttribute('href', MAILTO);
  await expect(page.getByText('qué datos guardamos sobre usted, para qué y qué puede hacer con ellos')).toBeVisible();
  await expectNoAxeViolations(page, 'privacy es');

  await page.goto('/en/privacy#security');
  await expect(page.getByRole('heading', { level: 2, name: 'Reporting a vulnerability' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'seguridad@capacita.test' })).toHaveAttribute('href', MAILTO);
  await expectNoAxeViolations(page, 'privacy en');
});

test.describe('a deployment without SECURITY_CONTACT', () => {
  let instance: Instance;
  test.beforeAll(async () => {
    instance = await createInstance(await freePort(), { env: { SECURITY_CONTACT: '' } });
    await instance.start();
  });
  test.afterAll(async () => {
    await instance?.dispose();
  });

  test('says that no address is published yet, and links nowhere', async ({ page }) => {
    await page.goto(`${instance.origin}/es/privacy`);
    const section = page.locator('article');
    await expect(section.getByText('Esta instalación aún no publica su dirección de contacto de seguridad')).toBeVisible();
    await expect(section.locator('a[href^="mailto:"]')).toHaveCount(0);
  });
});
