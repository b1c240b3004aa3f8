// Links in e-mails never come from the request. A forged Host header with a matching Origin passed Astro's origin
// check (both named the attacker's host), so before the fix the mailed reset link pointed there; the origin check is
// now judged against the configured origin (src/server/http/origin-check.ts), so that pair is refused, and a client
// that is not a browser can still send the real Origin with a forged Host. The e2e server runs in demo mode without
// PUBLIC_ORIGIN: links must use its configured listen address (HOST:PORT).
import { request as httpRequest } from 'node:http';
import { expect, test } from './helpers/fixture.ts';
import { waitForMail, type DeliveredMail } from './helpers/mail.ts';
import { DEMO_PASSWORD } from './helpers/session.ts';

const EVIL = 'evil.example:4329';

/** A form post with a forged Host and the Origin we like (fetch does not let a client set Host); by default the real one. */
function forgedPost(baseURL: string, path: string, form: Record<string, string>, cookie?: string, origin = new URL(baseURL).origin): Promise<{ status: number; setCookie: string[] }> {
  const base = new URL(baseURL);
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: {
          host: EVIL,
          origin,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: ([] as string[]).concat(res.headers['set-cookie'] ?? []) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function linksIn(mail: DeliveredMail): URL[] {
  return [...mail.text.matchAll(/https?:\/\/[^\s]+/g)].map((m) => new URL(m[0]));
}

test('a forgot-password request with a forged Host mails a link to the configured origin', async ({ baseURL }) => {
  const victim = 'solicitante@demo.capacita.test';
  // Host and Origin both the attacker's: the origin check compares with the configured origin and refuses it.
  expect((await forgedPost(baseURL!, '/es/forgot-password?_action=account.forgotPassword', { email: victim }, undefined, `http://${EVIL}`)).status).toBe(403);
  const answer = await forgedPost(baseURL!, '/es/forgot-password?_action=account.forgotPassword', { email: victim });
  expect(answer.status).toBeLessThan(400); // the forged Host got through the origin check: the attack is real
  const mail = await waitForMail(victim, (m) => /reset-password\//.test(m.text));
  const links = linksIn(mail);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(link.origin, link.href).toBe(new URL(baseURL!).origin);
  expect(mail.raw).not.toContain('evil.example');
});

test('an invitation sent through a forged Host links to the configured origin', async ({ baseURL, request }) => {
  const signIn = await request.post('/_actions/auth.signIn', { form: { email: 'comite.gt@demo.capacita.test', password: DEMO_PASSWORD }, headers: { origin: baseURL! } });
  expect(signIn.status()).toBe(200);
  const cookie = signIn.headers()['set-cookie']!.split(';')[0]!;
  const invitePage = await request.get('/es/admin/invite', { headers: { cookie } });
  const institution = (await invitePage.text()).match(/<option value="(\d+)"/)?.[1];
  expect(institution).toBeTruthy();
  const email = `host-${Date.now()}@e2e.test`;
  const answer = await forgedPost(baseURL!, '/_actions/admin.invite', { name: 'Persona Invitada', email, institution: institution!, role: 'learner', locale: 'es' }, cookie);
  expect(answer.status).toBe(200);
  const mail = await waitForMail(email, (m) => /invitation\//.test(m.text));
  for (const link of linksIn(mail)) expect(link.origin, link.href).toBe(new URL(baseURL!).origin);
  expect(mail.raw).not.toContain('evil.example');
});
