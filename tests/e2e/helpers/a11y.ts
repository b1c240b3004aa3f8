import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

// The same axe-core version's minified build: the package hands the browser its unminified 1.5 MB source, which the
// page parses again on every check (about a second each on the two-core machines).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Fails the test with a readable list when axe finds any WCAG 2.1 A/AA violation on the page. */
export async function expectNoAxeViolations(page: Page, context = ''): Promise<void> {
  // Legacy mode runs axe.run() in the page instead of a partial run per frame finished in a new blank page (a page and
  // a second injection per check). It reaches same-origin frames only; the app has none of another origin (H5P is
  // embedded as a div), and one appearing fails here rather than going unchecked.
  const origin = new URL(page.url()).origin;
  const foreign = page.frames().map((f) => f.url()).filter((url) => url.startsWith('http') && new URL(url).origin !== origin);
  expect(foreign, `frames of another origin axe would not check ${context}`).toEqual([]);
  const results = await new AxeBuilder({ page, axeSource: AXE_SOURCE }).setLegacyMode().withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect(summary, `axe violations ${context}`).toEqual([]);
}
