// `npm test`: type check, unit tests, a fresh build for the browser tests, then Playwright in Chromium (which also
// runs the resilience suites: crash, fuzz and cluster, each on its own server processes and ports). Ends with one line
// "N passed, N failed" over the unit and browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'capacita-test-'));
const vitestReport = join(reports, 'vitest.json');
const playwrightReport = join(reports, 'playwright.json');
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', CAPACITA_OUT_DIR: './dist-test', PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport };
const steps = [
  ['Type check (astro check)', ['node_modules/astro/bin/astro.mjs', 'check']],
  ['Unit tests (Vitest)', ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]],
  ['Build for the browser tests', ['node_modules/astro/bin/astro.mjs', 'build']],
  ['Browser tests (Playwright, Chromium)', ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json']],
];

function counts() {
  const total = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(vitestReport)) {
    const v = JSON.parse(readFileSync(vitestReport, 'utf8'));
    total.passed += v.numPassedTests ?? 0;
    total.failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
    total.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  }
  if (existsSync(playwrightReport)) {
    const p = JSON.parse(readFileSync(playwrightReport, 'utf8')).stats ?? {};
    total.passed += (p.expected ?? 0) + (p.flaky ?? 0);
    total.failed += p.unexpected ?? 0;
    total.skipped += p.skipped ?? 0;
  }
  return total;
}

function finish(code) {
  const { passed, failed, skipped } = counts();
  rmSync(reports, { recursive: true, force: true });
  console.log(`\n${passed} passed, ${failed + (code !== 0 && failed === 0 ? 1 : 0)} failed, ${skipped} skipped`);
  process.exit(code);
}

for (const [label, args] of steps) {
  console.log(`\n▸ ${label}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed (exit code ${result.status}).`);
    finish(result.status ?? 1);
  }
  console.log(`✓ ${label} (${Math.round((Date.now() - started) / 1000)} s)`);
}
finish(0);
