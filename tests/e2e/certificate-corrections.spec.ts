// A name correction, the whole way: a learner earns a certificate, corrects the spelling of their name on their account
// (the certificate keeps the old one), asks for the certificate to be corrected, their country's committee approves,
// and the certificate is re-issued under the same code: the PDF carries the corrected Unicode name and /verify shows
// the revision.
import { readFileSync } from 'node:fs';
import { expect, test } from './helpers/fixture.ts';
import { parse } from 'yaml';
import { extractText } from 'unpdf';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { completeLessons, enrol, passQuiz, register } from './helpers/course.ts';
import { signIn, signOut } from './helpers/session.ts';

const unique = Date.now().toString(36);
const PASSWORD = 'ríos verdes bajo la lluvia';
const COURSE = 'autocuidado-seguridad';
const TYPED = 'Nayeli Xumil Ajpop';
const CORRECTED = 'Nayeli Xʼumil Ajpop'; // the Maya glottal stop, U+02BC
const MANIFEST = parse(readFileSync(`content/courses/${COURSE}/course.yaml`, 'utf8')) as { version: string; minutes: number };
const WORKLOAD = MANIFEST.minutes < 60 ? `${MANIFEST.minutes} min` : `${Math.floor(MANIFEST.minutes / 60)} h${MANIFEST.minutes % 60 ? ` ${MANIFEST.minutes % 60} min` : ''}`;

test('name correction: request → committee approval → re-issued PDF with the corrected name; /verify shows the revision', async ({ page, browser }) => {
  test.setTimeout(480_000);
  const email = `nayeli.${unique}@migracion.example.org`;
  await register(page, { locale: 'es', kind: 'official', name: TYPED, email, password: PASSWORD, country: 'Honduras', institution: 'Instituto Nacional de Migración (INM)' });
  await enrol(page, COURSE, 'es');
  await completeLessons(page, COURSE, 'es');
  const code = await passQuiz(page, COURSE, 'es');
  // The account's name is corrected; a name that is not a name is refused with a message, not cut.
  await page.goto('/es/account');
  const nameSection = page.locator('section[aria-labelledby="name-title"]');
  await nameSection.getByLabel('Nombre completo').fill('Nayeli 😀');
  await nameSection.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.locator('#name-error')).toContainText('solo puede llevar letras');
  await nameSection.getByLabel('Nombre completo').fill(CORRECTED);
  await nameSection.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Guardamos su nombre.' })).toBeVisible();
  await expect(page.getByText('Los certificados ya emitidos conservan el nombre')).toBeVisible();
  // The issued certificate keeps its name until corrected, and the account page points at it.
  await page.getByRole('link', { name: new RegExp(code) }).click();
  await expect(page.locator('.certificate .holder')).toHaveText(TYPED);
  await expect(page.locator('.correction')).toContainText(`Este certificado dice «${TYPED}» y su cuenta dice «${CORRECTED}».`);
  await page.getByRole('button', { name: 'Pedir la corrección' }).click();
  await expect(page.locator('.correction')).toContainText(`que este certificado diga «${CORRECTED}»`);
  await expect(page.getByRole('button', { name: 'Pedir la corrección' })).toHaveCount(0);
  await expectNoAxeViolations(page, 'certificate page with a pending correction');
  await signOut(page);

  // Another country's committee does not see the request; the holder's does, and approves it.
  await signIn(page, 'comite.gt@demo.capacita.test');
  await page.goto('/es/admin/name-corrections');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Correcciones de nombre en certificados');
  await expect(page.locator('main')).not.toContainText(code);
  await signOut(page);
  await signIn(page, 'comite.hn@demo.capacita.test');
  await page.goto('/es/admin');
  await page.getByRole('link', { name: 'Correcciones de nombre en certificados' }).click();
  const request = page.locator('.requests li').filter({ hasText: code });
  await expect(request).toContainText(TYPED);
  await expect(request.locator('.requested-name')).toHaveText(CORRECTED);
  await expectNoAxeViolations(page, 'name corrections queue');
  await request.getByRole('button', { name: 'Aprobar y volver a emitir' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Corrección aprobada' })).toBeVisible();
  await expect(page.locator('main')).not.toContainText(code);
  await signOut(page);

  // The holder's certificate: same code, corrected name, revision 2 — on the page and in the PDF.
  await signIn(page, email, PASSWORD);
  await page.goto(`/es/certificates/${code}`);
  await expect(page.locator('.certificate .holder')).toHaveText(CORRECTED);
  await expect(page.locator('.certificate')).toContainText('Revisión');
  const pdf = await page.request.get(`/es/certificates/${code}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-disposition']).toContain(`capacita-${code}-r2.pdf`);
  const text = (await extractText(new Uint8Array(await pdf.body()), { mergePages: true })).text.replace(/\s+/g, ' ');
  for (const fact of [CORRECTED, 'Instituto Nacional de Migración', 'Honduras', `Versión del curso: ${MANIFEST.version}`, `Carga horaria: ${WORKLOAD}`, 'Organismo nacional emisor', 'Revisión 2', code]) expect(text).toContain(fact);
  expect(text).not.toContain(TYPED);
  await signOut(page);

  // Anyone can verify it: the corrected name and the revision, nothing about the account.
  const context = await browser.newContext();
  const visitor = await context.newPage();
  const verify = await visitor.goto(`/verify/${code}`);
  expect(verify?.status()).toBe(200);
  const card = visitor.locator('.verification');
  await expect(card.locator('.holder')).toHaveText(CORRECTED);
  await expect(card.locator('[data-revision]')).toHaveAttribute('data-revision', '2');
  await expect(card).toContainText('Instituto Nacional de Migración');
  await expect(card).not.toContainText(email);
  await expect(card).not.toContainText('@');
  await expectNoAxeViolations(visitor, '/verify with a revision');
  await context.close();
});
