import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { mailOutbox } from '../../db/schema.ts';
import { claimDueMessages, enqueueMail, markFailed, MAX_ATTEMPTS } from '../../src/server/mail/outbox.ts';
import { redactSecretLinks } from '../../src/server/mail/redact.ts';
import { emailVerificationMail, invitationMail, passwordResetMail } from '../../src/server/mail/templates.ts';
import { generateSessionToken } from '../../src/server/auth/session.ts';
import { createMailTransport } from '../../src/server/mail/transport.ts';
import { deliverDueMail } from '../../src/server/mail/worker.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

async function startSmtp(): Promise<{ port: number; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const message = (to: string, locale: 'es' | 'en' = 'es') =>
  invitationMail({ to, name: 'Ana', locale, url: 'http://capacita.test/es/invitation/abc', institution: 'Ministerio Público', invitedBy: 'Comité', expiresInDays: 14 });

describe('mail queue', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase({ reference: false })));
  afterEach(() => t.close());

  it('delivers through a real SMTP server on loopback, in the recipient language, text and HTML', async () => {
    const smtp = await startSmtp();
    try {
      await enqueueMail(t.db, message('ana@x.gt', 'en'));
      const transport = createMailTransport(`smtp://127.0.0.1:${smtp.port}`, 'Capacita <no-reply@capacita.test>');
      expect(await deliverDueMail(t.db, transport)).toBe(1);
      transport.close();
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail.to).toEqual(['ana@x.gt']);
      expect(mail.raw).toMatch(/Subject: Invitation to Capacita/);
      expect(mail.raw).toMatch(/Content-Type: text\/plain/);
      expect(mail.raw).toMatch(/Content-Type: text\/html/);
      expect(mail.raw.replace(/=\r?\n/g, "")).toContain(`href=3D"http://capacita.test/es/invitation/abc"`);
      const [row] = await t.db.select().from(mailOutbox);
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
    } finally {
      await smtp.close();
    }
  });

  it('keeps messages in the outbox without SMTP, and retries later when the server is down', async () => {
    await enqueueMail(t.db, message('a@x.gt'));
    expect(await deliverDueMail(t.db, createMailTransport(undefined, 'x@y.z'))).toBe(1);
    expect((await t.db.select().from(mailOutbox))[0]!.status).toBe('held');

    await enqueueMail(t.db, message('b@x.gt'));
    const now = Date.now();
    const down = createMailTransport('smtp://127.0.0.1:9', 'x@y.z'); // nothing listens on the discard port
    expect(await deliverDueMail(t.db, down, now)).toBe(1);
    down.close();
    const [failed] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'b@x.gt'));
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    expect(failed!.lastError).toBeTruthy();
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('delivers links with their token, then keeps the sent message without it (held ones keep it for the admin)', async () => {
    const smtp = await startSmtp();
    const token = () => generateSessionToken();
    const [invite, reset, confirm, held] = [token(), token(), token(), token()];
    try {
      await enqueueMail(t.db, invitationMail({ to: 'ana@x.gt', name: 'Ana', locale: 'es', url: `https://capacita.test/es/invitation/${invite}`, institution: 'MP', invitedBy: 'Comité', expiresInDays: 14 }));
      await enqueueMail(t.db, passwordResetMail({ to: 'beto@x.gt', name: 'Beto', locale: 'en', url: `https://capacita.test/en/reset-password/${reset}` }));
      await enqueueMail(t.db, emailVerificationMail({ to: 'caro@x.gt', name: 'Caro', locale: 'es', url: `https://capacita.test/es/register/confirm/${confirm}`, expiresInDays: 7 }));
      const transport = createMailTransport(`smtp://127.0.0.1:${smtp.port}`, 'Capacita <no-reply@capacita.test>');
      expect(await deliverDueMail(t.db, transport)).toBe(3);
      transport.close();
      const received = smtp.received.map((m) => m.raw.replace(/=\r?\n/g, '')).join('\n');
      for (const secret of [invite, reset, confirm]) expect(received).toContain(secret);
      const rows = await t.db.select().from(mailOutbox);
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      for (const secret of [invite, reset, confirm]) expect(JSON.stringify(rows)).not.toContain(secret);
      expect(rows[1]!.text).toContain('https://capacita.test/en/reset-password/[…]');
    } finally {
      await smtp.close();
    }
    // Without SMTP the outbox is how the message reaches its reader: it keeps the link.
    await enqueueMail(t.db, passwordResetMail({ to: 'dani@x.gt', name: 'Dani', locale: 'es', url: `https://capacita.test/es/reset-password/${held}` }));
    await deliverDueMail(t.db, createMailTransport(undefined, 'x@y.z'));
    const [kept] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'dani@x.gt'));
    expect(kept).toMatchObject({ status: 'held' });
    expect(kept!.text).toContain(held);
    // Given up after the last attempt: nobody will receive it, and the link goes.
    await markFailed(t.db, { ...kept!, attempts: MAX_ATTEMPTS }, 'connection refused');
    const [failed] = await t.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'dani@x.gt'));
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed!.text).not.toContain(held);
  });

  it('redacts the secret of token links only', () => {
    const token = generateSessionToken();
    expect(redactSecretLinks(`Entrar:\nhttps://c.test/es/courses\nhttps://c.test/es/invitation/${token}\n`)).toBe('Entrar:\nhttps://c.test/es/courses\nhttps://c.test/es/invitation/[…]\n');
    expect(redactSecretLinks(`https://c.test/en/somewhere-new/${token}?x=1`)).toBe('https://c.test/en/somewhere-new/[…]?x=1');
    expect(redactSecretLinks('https://c.test/es/verify/ABCD-1234 and https://c.test/es/courses/basico-fundamentos')).toBe('https://c.test/es/verify/ABCD-1234 and https://c.test/es/courses/basico-fundamentos');
  });

  it('never hands one message to two workers', async () => {
    for (let i = 0; i < 30; i++) await enqueueMail(t.db, message(`p${i}@x.gt`));
    const now = Date.now() + 1000;
    const [a, b] = await Promise.all([claimDueMessages(t.db, 20, now), claimDueMessages(t.db, 20, now)]);
    const ids = [...a, ...b].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);
  });
});
