// Delivery of one queued message: through SMTP (nodemailer) when SMTP_URL is set, else nowhere (held in the outbox).
import nodemailer from 'nodemailer';
import type { OutboxRow } from './outbox.ts';

export interface MailTransport {
  /** 'sent' once the SMTP server accepted it; 'held' when there is no server and the outbox is the destination. */
  deliver(message: OutboxRow): Promise<'sent' | 'held'>;
  close(): void;
}

export function createMailTransport(smtpUrl: string | undefined, from: string): MailTransport {
  if (!smtpUrl) return { deliver: async () => 'held', close: () => {} };
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async deliver(message) {
      await transporter.sendMail({
        from,
        to: message.toName ? { name: message.toName, address: message.toAddress } : message.toAddress,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { 'Content-Language': message.locale, 'Auto-Submitted': 'auto-generated' },
      });
      return 'sent';
    },
    close: () => transporter.close(),
  };
}
