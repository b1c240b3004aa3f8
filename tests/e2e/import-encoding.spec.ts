// The import as Excel on Windows saves a CSV (Windows-1252): the "Institución" header is found, names keep their
// accents, and the preview lists the accounts that will be created before anything is written.
import { expect, test } from './helpers/fixture.ts';
import { expectNoAxeViolations } from './helpers/a11y.ts';
import { signIn } from './helpers/session.ts';

test('a Windows-1252 CSV previews with its accents and lists the accounts to create', async ({ page }, testInfo) => {
  await signIn(page, 'comite.gt@demo.capacita.test');
  const text = 'Nombre;Correo;Institución;Especializado;Idioma\r\nJosé Núñez Peñate;jose.nunez@e2e-ansi.gt;Ministerio Público;sí;es\r\nMaría Ibáñez;maria.ibanez@e2e-ansi.gt;PNC;no;en\r\n';
  // 'latin1' writes one byte per character: the bytes of Windows-1252 for these letters (ó = 0xF3).
  const buffer = Buffer.from(text, 'latin1');
  expect(buffer.includes(0xf3)).toBe(true);
  await page.goto('/es/admin/import');
  await page.setInputFiles('#file', { name: 'personas-excel.csv', mimeType: 'text/csv', buffer });
  await page.getByRole('button', { name: 'Ver vista previa' }).click();
  await expect(page).toHaveURL(/\/es\/admin\/import\/\d+$/);
  await expect(page.getByTestId('import-ready')).toBeVisible();
  const rows = page.getByRole('table', { name: 'Cuentas que se crearán' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('José Núñez Peñate');
  await expect(rows.nth(0)).toContainText('Ministerio Público');
  await expect(rows.nth(1)).toContainText('María Ibáñez');
  await expect(rows.nth(1)).toContainText('English');
  await expectNoAxeViolations(page, 'on the import preview');
  for (const width of [390, 1366]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: testInfo.outputPath(`import-preview-${width}.png`), fullPage: true });
  }
});
