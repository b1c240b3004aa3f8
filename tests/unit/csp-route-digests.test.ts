import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { memoiseRouteDigests } from '../../src/integrations/csp-route-digests.ts';

const astroDist = dirname(createRequire(import.meta.url).resolve('astro/package.json'));
const fetchState = readFileSync(join(astroDist, 'dist/core/fetch/fetch-state.js'), 'utf8');

// The two loops of Astro's createResult, as fetch-state.js writes them.
const createResult = `
async function hashes(styles, scripts, cspAlgorithm) {
  const extraStyleHashes = [];
  const extraScriptHashes = [];
  for (const style of styles) {
    extraStyleHashes.push(await generateCspDigest(style.children, cspAlgorithm));
  }
  for (const script of scripts) {
    extraScriptHashes.push(await generateCspDigest(script.children, cspAlgorithm));
  }
  return [extraStyleHashes, extraScriptHashes];
}`;

describe('the CSP digests of a route, computed once (src/integrations/csp-route-digests.ts)', () => {
  it("rewrites the installed Astro's per-request digests of route styles and scripts", () => {
    const code = memoiseRouteDigests(fetchState);
    expect(code).not.toContain('await generateCspDigest(style.children');
    expect(code).not.toContain('await generateCspDigest(script.children');
    expect(code).toContain('await capacitaRouteDigest(style.children, cspAlgorithm)');
  });

  it('gives the same digests as hashing each time, hashing each text once per process', async () => {
    const digest = vi.fn(async (data: string, algorithm: string) => `${algorithm}:${data.length}:${data}`);
    const hashes = new Function('generateCspDigest', `${memoiseRouteDigests(createResult)}\nreturn hashes;`)(digest);
    const styles = [{ children: '' }, { children: '' }, { children: '.a{color:red}' }];
    const scripts = [{ children: 'console.log(1)' }];
    const first = await hashes(styles, scripts, 'SHA-256');
    expect(first).toEqual([['SHA-256:0:', 'SHA-256:0:', 'SHA-256:13:.a{color:red}'], ['SHA-256:14:console.log(1)']]);
    expect(await hashes(styles, scripts, 'SHA-256')).toEqual(first);
    expect(digest).toHaveBeenCalledTimes(3);
    // Another algorithm is another digest.
    await hashes([{ children: '' }], [], 'SHA-384');
    expect(digest).toHaveBeenCalledTimes(4);
  });

  it('stops the build when Astro no longer hashes where it did', () => {
    expect(() => memoiseRouteDigests('async function createResult() {}')).toThrow(/not found in Astro's fetch-state.js/);
  });
});
