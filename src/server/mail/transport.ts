// Delivery of one queued message: through SMTP (nodemailer) when SMTP_URL is set, else nowhere (held in the outbox).
import nodemailer from 'nodemailer';
import type { OutboxRow } from './outbox.ts';
import { htmlFromText } from './templates.ts';

export interface MailTransport {
  /** 'sent' once the SMTP server accepted it; 'held' when there is no server and the outbox is the destination. */
  deliver(message: OutboxRow): Promise<'sent' | 'held'>;
  close(): void;
}

export function createMailTransport(smtpUrl: string | undefined, from: string): MailTransport {
  if (!smtpUrl) return { deliver: async () => 'held', close: () => {} };
  // A small pool of reused connections: an import queues thousands of invitations. Query parameters of SMTP_URL
  // (e.g. ?pool=false or maxConnections=1) override these.
  const transporter = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: 4, maxMessages: 500 });
  return {
    async deliver(message) {
      await transporter.sendMail({
        from,
        to: message.toName ? { name: message.toName, address: message.toAddress } : message.toAddress,
        subject: message.subject,
        text: message.text,
        html: htmlFromText(message.subject, message.text, message.locale),
        headers: {
          'Content-Language': message.locale,
          'Auto-Submitted': 'auto-generated',
          // Reminders can be turned off from the mail client (RFC 2369, one-click per RFC 8058).
          ...(message.listUnsubscribe ? { 'List-Unsubscribe': `<${message.listUnsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {}),
        },
      });
      return 'sent';
    },
    close: () => transporter.close(),
  };
}
