// The digest e-mail (src/server/reminders/digest.ts decides who gets which figures). Light on purpose: a greeting, a
// line on what it is, one small table per subject (written as "| a | b |" lines, which the HTML part turns into a
// table: src/server/mail/templates.ts htmlFromText), the counts each with the link to its list, the dashboard.
import { compose, tableBlock } from '../mail/templates.ts';
import type { OutgoingMessage } from '../mail/outbox.ts';
import { withUnsubscribe, type Recipient } from './messages.ts';

/** A table already in the reader's words. */
export interface DigestTable {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface DigestMailInput extends Recipient {
  /** digest_monthly, or digest_now for the one a reader asked for. */
  kind?: string;
  /** "noviembre de 2026" */
  month: string;
  /** The month is still running (a digest asked for now): say "so far". */
  monthSoFar?: boolean;
  /** The day the figures were measured, in words. */
  asOf?: string;
  /** The country's name, or the region. */
  scope: string;
  coordinator: boolean;
  tables: DigestTable[];
  counts: { label: string; value: number; url: string }[];
  dashboardUrl: string;
}

export function digestMail(r: DigestMailInput): OutgoingMessage {
  const counts = r.counts.map((c) => `${c.label}: ${c.value}\n${c.url}`);
  const tables = r.tables.map(tableBlock);
  const asOf = r.asOf ?? '';
  return withUnsubscribe(
    compose({
      kind: r.kind ?? 'digest_monthly',
      ...r,
      url: r.dashboardUrl,
      es: {
        subject: `Capacita: resumen de ${r.month}${r.monthSoFar ? ' (hasta hoy)' : ''} — ${r.scope}`,
        paragraphs: [
          `${r.coordinator ? 'Este es el resumen regional' : 'Este es el resumen'} de Capacita para ${r.scope}, ${r.month}${r.monthSoFar ? ' hasta hoy' : ''}: las mismas cifras que muestra su panel${asOf ? `, al ${asOf}` : ''}.`,
          ...tables,
          ...counts,
        ],
        action: 'Abrir el panel',
      },
      en: {
        subject: `Capacita: ${r.month} digest${r.monthSoFar ? ' (so far)' : ''} — ${r.scope}`,
        paragraphs: [
          `This is the Capacita ${r.coordinator ? 'regional digest' : 'digest'} for ${r.scope}, ${r.month}${r.monthSoFar ? ' so far' : ''}: the same figures your dashboard shows${asOf ? `, as of ${asOf}` : ''}.`,
          ...tables,
          ...counts,
        ],
        action: 'Open the dashboard',
      },
    }),
    r,
  );
}
