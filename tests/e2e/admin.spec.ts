// Administration and onboarding end to end: a committee imports officials (errors first, then the fixed file), the
// invitations reach a real SMTP server, an invitee activates the account; a specialised-unit request is approved.
import { expect, test, type Page } from './helpers/fixture.ts';
import AxeBuilder from '@axe-core/playwright';
import { deliveredMail, linkIn, waitForMail } from './helpers/mail.ts';
import { signIn, signOut } from './helpers/session.ts';

const DOMAIN = 'e2e-import.gt';
const INSTITUTIONS = ['MP', 'PNC', 'Instituto Guatemalteco de Migración', 'OJ'];

function officials(count: number): string[][] {
  return Array.from({ length: count }, (_, i) => [`Funcionaria ${String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26))} Prueba`, `oficial${i + 1}@${DOMAIN}`, INSTITUTIONS[i % INSTITUTIONS.length]!, '', i % 10 === 0 ? 'sí' : '', i % 7 === 0 ? 'en' : 'es']);
}

function csv(rows: string[][]): Buffer {
  return Buffer.from(['nombre,correo,institucion,rol,especializado,idioma', ...rows.map((r) => r.join(','))].join('\n'), 'utf8');
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function upload(page: Page, name: string, buffer: Buffer) {
  await page.goto('/es/admin/import');
  await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer });
  await page.getByRole('button', { name: 'Ver vista previa' }).click();
  await expect(page).toHaveURL(/\/es\/admin\/import\/\d+$/);
}

test.describe.serial('committee onboarding', () => {
  let batchUrl = '';

  test('a committee imports 200 officials: bad rows first, nothing written, then the fixed file', async ({ page }) => {
    await signIn(page, 'comite.gt@demo.capacita.test');
    await page.goto('/es/admin');
    await expect(page.getByRole('heading', { level: 1, name: 'Administración' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Importar funcionariado' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Registro de auditoría' })).toHaveCount(0);
    await expectNoAxeViolations(page);

    // 200 rows, three of them wrong: a bad e-mail, an unknown institution, an e-mail repeated in the file.
    const rows = officials(200);
    const bad = rows.map((r) => [...r]);
    bad[10]![1] = 'no-es-un-correo';
    bad[50]![2] = 'Ministerio Inexistente';
    bad[120]![1] = bad[119]![1]!;
    await upload(page, 'funcionarios.csv', csv(bad));
    await expect(page.getByTestId('import-errors')).toContainText('3 de 200 filas tienen problemas');
    const errorRows = page.getByRole('table', { name: 'Filas con problemas' }).locator('tbody tr');
    await expect(errorRows).toHaveCount(3);
    await expect(page.getByRole('cell', { name: 'Correo no válido.' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Institución desconocida en este país.' })).toBeVisible();
    await expect(page.getByRole('cell', { name: 'Correo repetido en el archivo.' })).toBeVisible();
    await expect(page.getByRole('button', { name: /Importar/ })).toHaveCount(0);
    await expectNoAxeViolations(page);

    // Nothing was written.
    await page.goto(`/es/admin/people?q=${DOMAIN}`);
    await expect(page.getByText('Ninguna persona coincide con los filtros.')).toBeVisible();

    // The fixed file: all rows valid, imported with a progress bar.
    await upload(page, 'funcionarios-corregido.csv', csv(rows));
    batchUrl = new URL(page.url()).pathname;
    await expect(page.getByTestId('import-ready')).toContainText('Las 200 filas son correctas');
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Importar 200 personas' }).click();
    await expect(page.getByTestId('import-done')).toContainText('200 personas', { timeout: 30_000 });

    await page.goto(`/es/admin/people?q=${DOMAIN}`);
    await expect(page.getByRole('link', { name: 'Funcionaria AA Prueba' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Personas' }).locator('tbody tr')).toHaveCount(50);
    await expectNoAxeViolations(page);

    // The same file again: recognised, nothing created twice.
    await upload(page, 'funcionarios-corregido.csv', csv(rows));
    await expect(page.getByTestId('import-already')).toContainText('200 personas');
  });

  test('the invitations arrive by SMTP and an invitee sets a password and signs in', async ({ page }) => {
    const invitee = `oficial2@${DOMAIN}`; // language "es"
    const english = `oficial1@${DOMAIN}`; // language "en"
    const mail = await waitForMail(invitee, (m) => m.subject.includes('Invitación'));
    expect((await waitForMail(english)).subject).toBe('Invitation to Capacita');
    await expect.poll(() => deliveredMail().filter((m) => m.to[0]!.endsWith(`@${DOMAIN}`)).length, { timeout: 60_000 }).toBe(200);

    await page.goto(linkIn(mail, /\/es\/invitation\/[a-z2-7]+/));
    await expect(page.getByRole('heading', { name: 'Active su cuenta' })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByLabel('Nueva contraseña', { exact: true }).fill('una frase larga de invitada');
    await page.getByLabel('Repita la nueva contraseña').fill('una frase larga de invitada');
    await page.getByRole('button', { name: 'Activar mi cuenta' }).click();
    await expect(page).toHaveURL(/\/es\/login\?done=invitation/);
    await expect(page.getByRole('status')).toContainText('Cuenta activada');

    await signIn(page, invitee, 'una frase larga de invitada');
    await page.goto('/es/account');
    await expect(page.getByText(invitee)).toBeVisible();

    // The link works once.
    await signOut(page);
    await page.goto(linkIn(mail, /\/es\/invitation\/[a-z2-7]+/));
    await expect(page.getByRole('alert')).toContainText('Esta invitación no es válida');
  });

  test('a learner requests specialist status, the committee approves it, the learner is told and Especializado opens', async ({ page }) => {
    const learner = `oficial2@${DOMAIN}`; // activated in the previous test
    const course = '/es/courses/especializado-investigacion';
    const specialistLock = 'Requiere ser miembro aprobado de una unidad especializada';
    await signIn(page, learner, 'una frase larga de invitada');
    await page.goto(course);
    await expect(page.getByText(specialistLock)).toBeVisible();
    await page.getByLabel('Unidad especializada').fill('Fiscalía contra la Trata de Personas');
    await page.getByLabel('Motivo de la solicitud').fill('Investigo casos de trata en la fiscalía de Quetzaltenango.');
    await page.getByRole('button', { name: 'Solicitar la membresía de unidad especializada' }).click();
    await expect(page.getByRole('status')).toContainText('Solicitud enviada');
    await signOut(page);

    await signIn(page, 'comite.gt@demo.capacita.test');
    await page.goto('/es/admin/specialists');
    // The demo's pending request is there too; the committee decides on the new one.
    await expect(page.getByRole('listitem').filter({ hasText: 'solicitante@demo.capacita.test' })).toBeVisible();
    const card = page.getByRole('listitem').filter({ hasText: learner });
    await expect(card).toBeVisible();
    // The committee sees the unit, the reason, the date and the requester's Básico (none yet).
    await expect(card).toContainText('Fiscalía contra la Trata de Personas');
    await expect(card).toContainText('Investigo casos de trata en la fiscalía de Quetzaltenango.');
    await expect(card).toContainText('Sin certificado del Básico');
    await expectNoAxeViolations(page);
    await card.getByLabel('Motivo').fill('Integra la unidad contra la trata del Ministerio Público.');
    await card.getByRole('button', { name: 'Aprobar' }).click();
    await expect(page.getByRole('status')).toContainText('Solicitud aprobada');
    await expect(page.getByRole('listitem').filter({ hasText: learner })).toHaveCount(0);

    const mail = await waitForMail(learner, (m) => m.subject.includes('unidad especializada'));
    expect(mail.subject).toBe('Solicitud de unidad especializada aprobada');
    expect(mail.text).toContain('Integra la unidad contra la trata del Ministerio Público.');
    await signOut(page);

    // The specialised-unit lock is gone (the Básico requirement of Especializado remains until they pass Básico).
    await signIn(page, learner, 'una frase larga de invitada');
    await page.goto(course);
    await expect(page.getByText('Requiere haber aprobado el curso Básico.')).toBeVisible();
    await expect(page.getByText(specialistLock)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Solicitar la membresía de unidad especializada' })).toHaveCount(0);
  });

  test('a committee rejects a request with a reason', async ({ page }) => {
    await signIn(page, 'comite.gt@demo.capacita.test');
    await page.goto('/es/admin/specialists');
    const card = page.getByRole('listitem').filter({ hasText: 'solicitante@demo.capacita.test' });
    await card.getByLabel('Motivo').fill('No figura en la nómina de la unidad.');
    await card.getByRole('button', { name: 'Rechazar' }).click();
    await expect(page.getByRole('status')).toContainText('Solicitud rechazada');
    const mail = await waitForMail('solicitante@demo.capacita.test');
    expect(mail.subject).toBe('Solicitud de unidad especializada no aprobada');
    await page.goto('/es/admin/people?q=solicitante');
    await page.getByRole('link', { name: 'Rosa Demo' }).click();
    await expect(page.locator('dl')).toContainText('Rechazada');
  });

  test('another country’s committee and observers cannot reach any of it', async ({ page }) => {
    await signIn(page, 'comite.hn@demo.capacita.test');
    const response = await page.goto(batchUrl);
    expect(response?.status()).toBe(403);
    await page.goto('/es/admin/people?q=solicitante');
    await expect(page.getByText('Ninguna persona coincide con los filtros.')).toBeVisible();
    await signOut(page);

    await signIn(page, 'observador@demo.capacita.test');
    for (const path of ['/en/admin', '/en/admin/people', '/en/admin/import', '/en/admin/audit', '/en/admin/institutions']) {
      expect((await page.goto(path))?.status(), path).toBe(403);
    }
  });

  test('the coordinator reads the audit log and exports it', async ({ page }) => {
    await signIn(page, 'coordinacion@demo.capacita.test');
    await page.goto('/es/admin/audit?action=people.import');
    await expect(page.getByRole('table', { name: /Entradas del registro/ }).locator('tbody tr')).toHaveCount(1);
    await expect(page.getByRole('cell', { name: 'comite.gt@demo.capacita.test' })).toBeVisible();
    await expectNoAxeViolations(page);
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Exportar CSV' }).click();
    const file = await (await download).path();
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('people.import');
    expect(text.split('\n')[0]).toContain('id,at,actor_id,actor_email,action');
  });
});
