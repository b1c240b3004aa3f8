import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Files share their worker's module registry instead of importing src/ afresh each (half the suite's time was
    // imports). Safe because domain state lives in each test's own database (tests/unit/helpers/database.ts); the
    // module-level caches in src/ are keyed by database or hold pure values. A file that needs fresh modules belongs
    // in a project of its own with `isolate: true`.
    isolate: false,
  },
});
