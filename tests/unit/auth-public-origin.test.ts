// Links that leave the server are built from configuration only; outside the demo the server refuses to start without it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resolvePublicOrigin } from '../../src/server/auth/public-origin.ts';

describe('resolvePublicOrigin', () => {
  it('takes PUBLIC_ORIGIN when set, as a bare origin', () => {
    expect(resolvePublicOrigin({ publicOrigin: 'https://capacita.example.org/', demo: false })).toEqual({ ok: true, origin: 'https://capacita.example.org' });
    expect(resolvePublicOrigin({ publicOrigin: ' https://capacita.example.org:8443 ', demo: true, host: '0.0.0.0', port: 80 })).toEqual({ ok: true, origin: 'https://capacita.example.org:8443' });
  });

  it('refuses what is not an http(s) origin', () => {
    for (const value of ['capacita.example.org', 'ftp://capacita.example.org', 'https://capacita.example.org/app', 'https://capacita.example.org/?x=1', 'https://u:p@capacita.example.org', 'javascript:alert(1)']) {
      expect(resolvePublicOrigin({ publicOrigin: value, demo: true }), value).toMatchObject({ ok: false, problem: expect.stringContaining('PUBLIC_ORIGIN') });
    }
  });

  it('outside the demo, an unset PUBLIC_ORIGIN is an error that says what to set', () => {
    for (const publicOrigin of [undefined, '', '   ']) {
      const result = resolvePublicOrigin({ publicOrigin, demo: false, host: '127.0.0.1', port: '4321' });
      expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/PUBLIC_ORIGIN is not set.*PUBLIC_ORIGIN=https:\/\//) });
    }
  });

  it('in the demo, the listen address (HOST:PORT, astro.config.mjs defaults), a wildcard one as localhost', () => {
    expect(resolvePublicOrigin({ demo: true })).toEqual({ ok: true, origin: 'http://127.0.0.1:4321' });
    expect(resolvePublicOrigin({ demo: true, host: '127.0.0.1', port: '4329' })).toEqual({ ok: true, origin: 'http://127.0.0.1:4329' });
    expect(resolvePublicOrigin({ demo: true, host: '0.0.0.0', port: 8080 })).toEqual({ ok: true, origin: 'http://localhost:8080' });
    expect(resolvePublicOrigin({ demo: true, host: '::1', port: 8080 })).toEqual({ ok: true, origin: 'http://[::1]:8080' });
  });
});

describe('scripts/serve.mjs', () => {
  function serve(env: Record<string, string>) {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'PUBLIC_ORIGIN' && k !== 'CAPACITA_DEMO'));
    // An entry that does not exist: a server that got past the check would fail differently (and later).
    return spawnSync(process.execPath, ['scripts/serve.mjs', 'dist-nothing/server/entry.mjs'], { env: { ...base, CAPACITA_WORKERS: '1', PORT: '1', ...env }, encoding: 'utf8', timeout: 20_000 });
  }

  it('refuses to start outside the demo without PUBLIC_ORIGIN, with a clear message and exit code 1', () => {
    const refused = serve({ CAPACITA_DEMO: '0' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('Capacita will not start: PUBLIC_ORIGIN is not set');
    const bad = serve({ CAPACITA_DEMO: '0', PUBLIC_ORIGIN: 'capacita.example.org' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('PUBLIC_ORIGIN is not a URL');
  });

  it('goes past the check in the demo, or with PUBLIC_ORIGIN set', () => {
    for (const env of [{ CAPACITA_DEMO: '1' }, { CAPACITA_DEMO: '0', PUBLIC_ORIGIN: 'https://capacita.example.org' }] as Record<string, string>[]) {
      const result = serve(env);
      expect(result.stderr, JSON.stringify(env)).not.toContain('Capacita will not start');
    }
  });
});
