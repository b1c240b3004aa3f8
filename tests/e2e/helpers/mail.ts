// Reading the e-mail the app delivered to the loopback SMTP server of tests/e2e/server.mjs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DeliveredMail {
  to: string[];
  raw: string;
  subject: string;
  text: string;
}

const mailDir = () => {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error('E2E_MAIL_DIR is not set (playwright.config.ts sets it)');
  return dir;
};

/** Undoes quoted-printable soft line breaks and escapes (enough for the ASCII links and UTF-8 text we check). */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i]!;
    if (c === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function parse(raw: string, to: string[]): DeliveredMail {
  const subjectLine = raw.match(/^Subject: (.*(?:\r?\n[ \t].*)*)/m)?.[1] ?? '';
  const subject = subjectLine.replace(/\r?\n[ \t]/g, ' ').replace(/=\?utf-8\?Q\?(.*?)\?=/gi, (_, q: string) => decodeQuotedPrintable(q.replace(/_/g, ' ')));
  // The text/plain part (nodemailer writes it first), decoded.
  const part = raw.split(/\r?\n--/).find((p) => /Content-Type: text\/plain/i.test(p)) ?? raw;
  const [headers = '', ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const text = /quoted-printable/i.test(headers) ? decodeQuotedPrintable(body) : /base64/i.test(headers) ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : body;
  return { to, raw, subject, text };
}

export function deliveredMail(): DeliveredMail[] {
  const dir = mailDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const { to, raw } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { to: string[]; raw: string };
      return parse(raw, to);
    });
}

/** Waits for the newest message to an address (optionally matching), as the worker delivers asynchronously. */
export async function waitForMail(to: string, match: (mail: DeliveredMail) => boolean = () => true, timeoutMs = 30_000): Promise<DeliveredMail> {
  const started = Date.now();
  for (;;) {
    const found = deliveredMail().filter((m) => m.to.includes(to.toLowerCase()) && match(m));
    if (found.length > 0) return found[found.length - 1]!;
    if (Date.now() - started > timeoutMs) throw new Error(`no e-mail to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function linkIn(mail: DeliveredMail, path: RegExp): string {
  const url = mail.text.match(new RegExp(`https?://[^\\s]+${path.source}`))?.[0];
  if (!url) throw new Error(`no link matching ${path} in:\n${mail.text}`);
  return new URL(url).pathname;
}
