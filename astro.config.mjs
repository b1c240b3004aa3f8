// @ts-check
import { defineConfig, envField } from 'astro/config';
import node from '@astrojs/node';
import react from '@astrojs/react';
import mdx from '@astrojs/mdx';
import contentIntegrity from './src/integrations/content-integrity.ts';
import h5pPlayerAssets from './src/integrations/h5pPlayerAssets.ts';
import cspRouteDigests from './src/integrations/csp-route-digests.ts';

/** @param {string | undefined} origin */
function publicDomains(origin) {
  if (!origin) return [];
  const url = new URL(origin);
  return [{ hostname: url.hostname, protocol: url.protocol.replace(':', ''), ...(url.port ? { port: url.port } : {}) }];
}

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  integrations: [mdx(), react(), contentIntegrity(), h5pPlayerAssets(), cspRouteDigests()],
  // Tests and benchmarks build into their own folder so they never race `npm start`'s build.
  outDir: process.env.CAPACITA_OUT_DIR || './dist',
  server: { host: '127.0.0.1', port: 4321 },
  // App nodes keep no state: sessions are rows in the database (src/server/auth/session.ts). Astro's own session
  // feature is switched off so @astrojs/node does not fall back to per-machine filesystem storage.
  session: false,
  security: {
    // Off: src/middleware.ts applies the same rule against the configured PUBLIC_ORIGIN (src/server/http/origin-check.ts),
    // with the one exemption Astro's cannot make — a mail client's signed one-click unsubscribe (RFC 8058).
    checkOrigin: false,
    // Deliberate: the largest legitimate Action body is a spreadsheet uploaded for an import (admin). Every other
    // form is a few KB; their fields have their own zod limits. Mirrors ACTION_BODY_LIMIT in src/app/body.ts.
    actionBodySizeLimit: 8 * 1024 * 1024,
    // Behind a TLS-terminating reverse proxy Astro trusts X-Forwarded-Host/Proto only for these domains, so the
    // request URL pages see carries the public address. Taken from PUBLIC_ORIGIN at build time
    // (docs/DEPLOYMENT.md); empty means the forwarded headers are ignored.
    allowedDomains: publicDomains(process.env.PUBLIC_ORIGIN),
    // Astro hashes every script and style it emits and sends the policy as a header on each page; these are the
    // directives around them. Endpoints get the same defaults from src/middleware.ts.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
      ],
    },
  },
  build: { inlineStylesheets: 'never' },
  markdown: { syntaxHighlight: false },
  env: {
    schema: {
      DATABASE_URL: envField.string({ context: 'server', access: 'secret', default: 'file:data/capacita.db' }),
      // Optional: a sqld replica for dashboards and reports (src/app/db.ts getReportingDb); docs/DEPLOYMENT.md.
      DATABASE_REPORTING_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      DATABASE_AUTH_TOKEN: envField.string({ context: 'server', access: 'secret', optional: true }),
      // '0'/'1' flags, as the README writes them (CAPACITA_DEMO=0 npm start); read them through src/app/config.ts.
      CAPACITA_REQUIRE_2FA: envField.enum({ context: 'server', access: 'secret', values: ['0', '1'], optional: true }),
      CAPACITA_DEMO: envField.enum({ context: 'server', access: 'secret', values: ['0', '1'], default: '1' }),
      PUBLIC_ORIGIN: envField.string({ context: 'server', access: 'secret', optional: true }),
      // The listen address (also read by @astrojs/node); in the demo, links in e-mails point here (src/app/config.ts).
      HOST: envField.string({ context: 'server', access: 'secret', optional: true }),
      PORT: envField.string({ context: 'server', access: 'secret', optional: true }),
      TRUST_PROXY: envField.enum({ context: 'server', access: 'secret', values: ['0', '1'], default: '0' }),
      SMTP_URL: envField.string({ context: 'server', access: 'secret', optional: true }),
      MAIL_FROM: envField.string({ context: 'server', access: 'secret', default: 'Capacita <no-reply@capacita.test>' }),
      // Where security researchers report a weakness, published on the privacy page (src/server/security-contact.ts); read
      // at run time like every setting here (a 'secret' in astro:env terms, though the address is public).
      SECURITY_CONTACT: envField.string({ context: 'server', access: 'secret', optional: true }),
      // Signs the unsubscribe link of every reminder (src/server/reminders/consent.ts); without it no reminders are
      // sent. CAPACITA_REMINDERS_EVERY_MS is for tests only (src/server/reminders/worker.ts).
      UNSUBSCRIBE_SECRET: envField.string({ context: 'server', access: 'secret', optional: true }),
      CAPACITA_REMINDERS_EVERY_MS: envField.string({ context: 'server', access: 'secret', optional: true }),
      // Tests only: how long a workshop check-in code lives, in seconds (default 600; src/server/checkin/code.ts).
      CAPACITA_CHECKIN_TTL_SECONDS: envField.string({ context: 'server', access: 'secret', optional: true }),
      // An external Learning Record Store that receives a copy of every H5P statement (all three, or none).
      XAPI_LRS_ENDPOINT: envField.string({ context: 'server', access: 'secret', optional: true }),
      XAPI_LRS_USERNAME: envField.string({ context: 'server', access: 'secret', optional: true }),
      XAPI_LRS_PASSWORD: envField.string({ context: 'server', access: 'secret', optional: true }),
    },
  },
});
