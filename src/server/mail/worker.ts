// A small in-process worker: every few seconds it claims due messages and delivers them. It is started lazily by the
// server on its first request; several app nodes may each run one (claims are atomic, see outbox.ts).
import type { Database } from '../../../db/client.ts';
import { claimDueMessages, markFailed, markHeld, markSent } from './outbox.ts';
import { createMailTransport, type MailTransport } from './transport.ts';

/** Delivers one round of due messages; returns how many were handled. */
export async function deliverDueMail(db: Database, transport: MailTransport, now = Date.now(), limit = 20): Promise<number> {
  const claimed = await claimDueMessages(db, limit, now);
  // Sent side by side over the transport's pooled connections; the outcomes are recorded together afterwards.
  const sent: typeof claimed = [];
  const held: number[] = [];
  const failed: { row: (typeof claimed)[number]; error: string }[] = [];
  await Promise.all(
    claimed.map(async (message) => {
      try {
        if ((await transport.deliver(message)) === 'sent') sent.push(message);
        else held.push(message.id);
      } catch (error) {
        failed.push({ row: message, error: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  await markSent(db, sent);
  await markHeld(db, held);
  for (const f of failed) await markFailed(db, f.row, f.error);
  return claimed.length;
}

export interface MailWorker {
  /** Runs a round now (tests, and right after a request queued mail). */
  poke(): void;
  stop(): void;
}

export function startMailWorker(db: Database, options: { smtpUrl?: string; from: string; intervalMs?: number }): MailWorker {
  const transport = createMailTransport(options.smtpUrl, options.from);
  let running = false;
  let again = false;
  const round = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      // Keep going while full batches come back (an import queued thousands).
      while ((await deliverDueMail(db, transport)) > 0 || again) again = false;
    } catch (error) {
      console.error('[mail] delivery round failed:', error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(round, options.intervalMs ?? 3_000);
  timer.unref?.();
  return {
    poke: () => void round(),
    stop: () => {
      clearInterval(timer);
      transport.close();
    },
  };
}
