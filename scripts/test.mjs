// `npm test`: type check, unit tests, a fresh build for the browser tests, then Playwright in Chromium.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', CAPACITA_OUT_DIR: './dist-test' };
const steps = [
  ['Type check (astro check)', ['node_modules/astro/bin/astro.mjs', 'check']],
  ['Unit tests (Vitest)', ['node_modules/vitest/vitest.mjs', 'run']],
  ['Build for the browser tests', ['node_modules/astro/bin/astro.mjs', 'build']],
  ['Browser tests (Playwright, Chromium)', ['node_modules/@playwright/test/cli.js', 'test']],
];

for (const [label, args] of steps) {
  console.log(`\n▸ ${label}`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed (exit code ${result.status}).`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${label} (${Math.round((Date.now() - started) / 1000)} s)`);
}
