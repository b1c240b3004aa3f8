// `npm test`: the type check then a fresh build for the browser tests, with the unit tests alongside, then Playwright in
// Chromium (which also runs the resilience suites: crash, fuzz and cluster, each on its own server processes and
// ports). Ends with one line "N passed, N failed" over the unit and browser tests. Arguments after `--` go to
// Playwright (e.g. `npm test -- --output=./test-results-mine`); CAPACITA_OUT_DIR picks the build folder (dist-test).
//
// Vitest mostly waits (on its databases, the racing tests, child processes) while astro check and astro build keep one
// core busy, so on two cores the unit tests run beside them for little more than their own time. astro check and
// astro build both write .astro/, so they stay one after the other. Each step's output is held and printed whole when
// it ends, so the log reads as if the steps had run one after another.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'capacita-test-'));
const vitestReport = join(reports, 'vitest.json');
const playwrightReport = join(reports, 'playwright.json');
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', CAPACITA_OUT_DIR: process.env.CAPACITA_OUT_DIR || './dist-test', PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport };
const check = ['Type check (astro check)', ['node_modules/astro/bin/astro.mjs', 'check']];
const build = ['Build for the browser tests', ['node_modules/astro/bin/astro.mjs', 'build']];
const unit = ['Unit tests (Vitest)', ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]];
const browser = ['Browser tests (Playwright, Chromium)', ['node_modules/@playwright/test/cli.js', 'test', '--reporter=list,json', ...process.argv.slice(2)]];

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

/** Runs a step with its output held; resolves with its label, exit code, output and seconds. */
function runHeld([label, args]) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code, signal) => resolve({ label, code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks), seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

/** Prints a held step; true when it passed. */
function report({ label, code, output, seconds }) {
  console.log(`\n▸ ${label}`);
  process.stdout.write(output);
  if (code === 0) console.log(`✓ ${label} (${seconds} s)`);
  else console.error(`\n✗ ${label} failed (exit code ${code}).`);
  return code === 0;
}

const startedAll = Date.now();
const unitRun = runHeld(unit);
const checked = report(await runHeld(check));
const built = checked && report(await runHeld(build));
const unitPassed = report(await unitRun);
console.log(`(type check, build and unit tests: ${Math.round((Date.now() - startedAll) / 1000)} s)`);
if (!checked || !built || !unitPassed) finish(1);

const [label, args] = browser;
console.log(`\n▸ ${label}`);
const started = Date.now();
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
if (result.status !== 0) {
  console.error(`\n✗ ${label} failed (exit code ${result.status}).`);
  finish(result.status ?? 1);
}
console.log(`✓ ${label} (${Math.round((Date.now() - started) / 1000)} s)`);
finish(0);
