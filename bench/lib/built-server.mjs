// The built server for a benchmark: tests/e2e/server.mjs (fresh temp database, demo accounts) on a free port, and a
// signed-in fetch with the cookies a browser would keep. Shared by bench/lesson-js.mjs and bench/weight.mjs.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const DEMO_PASSWORD = 'capacita-demo-2026';

/** A port nobody listens on (several builds may run side by side on one machine). */
export const freePort = () => new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });

/** `--name value` from the command line, or the fallback. */
export function option(name, fallback) {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

/** Starts the build in CAPACITA_OUT_DIR (default ./dist-test); resolves when /healthz answers. */
export async function startBuiltServer({ port, officials = '0' } = {}) {
  const outDir = process.env.CAPACITA_OUT_DIR || './dist-test';
  if (!existsSync(join(outDir, 'server/entry.mjs'))) {
    console.error(`No build in ${outDir}: run  CAPACITA_OUT_DIR=${outDir} npx astro build  first.`);
    process.exit(1);
  }
  port = Number(port ?? process.env.BENCH_PORT ?? (await freePort()));
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['tests/e2e/server.mjs'], { env: { ...process.env, E2E_PORT: String(port), E2E_SMTP_PORT: process.env.E2E_SMTP_PORT || String(await freePort()), E2E_OFFICIALS: officials, CAPACITA_OUT_DIR: outDir }, stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = () => server.kill('SIGTERM');
  process.on('exit', stop);
  for (let i = 0; ; i++) {
    if (server.exitCode !== null) throw new Error('the server exited (port taken?)');
    if (i >= 240) throw new Error('server did not start');
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return { base, stop };
}

/** A fetch that keeps the session cookie, signed in as `email` (a demo account). */
export async function signedInClient(base, email, lang = 'es') {
  let cookie = '';
  const keep = (response) => {
    for (const c of response.headers.getSetCookie()) cookie = [cookie, c.split(';')[0]].filter(Boolean).join('; ');
    return response;
  };
  const client = {
    get cookie() {
      return cookie;
    },
    post: async (path, fields) => keep(await fetch(base + path, { method: 'POST', redirect: 'manual', headers: { Origin: base, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) })),
    get: async (path) => keep(await fetch(base + path, { headers: { Cookie: cookie } })),
  };
  await client.post(`/${lang}/login?_action=auth.signIn`, { email, password: DEMO_PASSWORD });
  if (!cookie) throw new Error(`could not sign in as ${email}`);
  return client;
}
