// The e-mails Capacita sends, in the recipient's language, as plain text and as simple HTML.
import type { Locale } from '../../../db/schema.ts';
import type { OutgoingMessage } from './outbox.ts';

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Body {
  subject: string;
  greeting: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer: string;
}

export function render(kind: string, to: string, toName: string | null, locale: Locale, body: Body): OutgoingMessage {
  const text = [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((p) => [p, '']),
    ...(body.action ? [`${body.action.label}:`, body.action.url, ''] : []),
    '--',
    body.footer,
  ].join('\n');
  return { kind, to, toName, locale, subject: body.subject, text };
}

/**
 * The HTML version of a message, built from its plain text when it is sent (the queue stores the text once): one
 * paragraph per block, "Label:" followed by a link line becomes a button, a title followed by "| a | b |" lines a
 * table (its first line the header: tableBlock), the block after "--" the footer; links in text become links.
 */
export function htmlFromText(subject: string, text: string, locale: Locale): string {
  const blocks = text.split(/\n{2,}/);
  const parts = blocks.map((block) => {
    const action = block.match(/^(.+):\n(https?:\/\/\S+)$/);
    if (action) {
      const [, label, url] = action;
      return `<p><a href="${escapeHtml(url!)}" style="display:inline-block;background:#0b4f8a;color:#fff;padding:0.6rem 1rem;border-radius:6px;text-decoration:none">${escapeHtml(label!)}</a></p><p style="font-size:0.9rem;color:#4a5560">${escapeHtml(url!)}</p>`;
    }
    const table = tableFromBlock(block);
    if (table) return table;
    if (block.startsWith('--\n')) return `<hr><p style="font-size:0.85rem;color:#4a5560">${linked(block.slice(3))}</p>`;
    return `<p>${linked(block)}</p>`;
  });
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:system-ui,sans-serif;color:#1b1f24;line-height:1.5;max-width:40rem">${parts.join('')}</body></html>`;
}

/** Escaped text with its line breaks, each http(s) URL a link (a sentence's closing punctuation left outside). */
function linked(text: string): string {
  return text
    .split(/(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)»])/)
    .map((part, i) => (i % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part)))
    .join('')
    .replace(/\n/g, '<br>');
}

const TABLE_ROW = /^\| (.*) \|$/;
const cellText = (value: string) => value.replace(/[|\n]/g, ' ').trim() || '—';

/** A small table as text: its title, then the header and each row as "| a | b |" (readable as is, a table in HTML). */
export function tableBlock(table: { title: string; columns: string[]; rows: string[][] }): string {
  return [table.title, ...[table.columns, ...table.rows].map((row) => `| ${row.map(cellText).join(' | ')} |`)].join('\n');
}

function tableFromBlock(block: string): string | null {
  const [title, ...lines] = block.split('\n');
  if (lines.length === 0 || !lines.every((l) => TABLE_ROW.test(l))) return null;
  const [head, ...body] = lines.map((l) => TABLE_ROW.exec(l)![1]!.split(' | '));
  const cell = (tag: 'th' | 'td', value: string, i: number) =>
    `<${tag}${tag === 'th' ? ' scope="col"' : ''} style="text-align:${i === 0 ? 'left' : 'right'};padding:0.25rem 0.5rem;border-bottom:1px solid #d0d7de${i === 0 ? '' : ';white-space:nowrap'}">${escapeHtml(value)}</${tag}>`;
  return (
    `<p style="margin-bottom:0.25rem"><strong>${escapeHtml(title!)}</strong></p>` +
    `<table style="border-collapse:collapse;font-size:0.9rem;margin-bottom:1rem"><thead><tr>${head!.map((v, i) => cell('th', v, i)).join('')}</tr></thead>` +
    `<tbody>${body.map((row) => `<tr>${row.map((v, i) => cell('td', v, i)).join('')}</tr>`).join('')}</tbody></table>`
  );
}

export const FOOTER: Record<Locale, string> = {
  es: 'Capacita — Coalición Regional contra la Trata de Personas y el Tráfico Ilícito de Migrantes. Mensaje automático: no responda a este correo.',
  en: 'Capacita — Regional Coalition against Trafficking in Persons and Smuggling of Migrants. Automatic message: please do not reply.',
};

export const hello = (locale: Locale, name: string | null) => (locale === 'es' ? (name ? `Hola, ${name}:` : 'Hola:') : name ? `Hello ${name},` : 'Hello,');

/** What a message says in one language; the greeting and the footer are added by `compose`. */
export interface Wording {
  subject: string;
  paragraphs: string[];
  /** The label of the button that opens `url`. */
  action?: string;
}

export interface Letter {
  kind: string;
  to: string;
  name: string | null;
  locale: Locale;
  /** The one page the message is about (its button). */
  url?: string;
  es: Wording;
  en: Wording;
}

/** A message in the recipient's language, written side by side in both (every Spanish text says "usted"). */
export function compose(letter: Letter): OutgoingMessage {
  const { locale } = letter;
  const words = letter[locale];
  return render(letter.kind, letter.to, letter.name, locale, {
    subject: words.subject,
    greeting: hello(locale, letter.name),
    paragraphs: words.paragraphs,
    ...(words.action && letter.url ? { action: { label: words.action, url: letter.url } } : {}),
    footer: FOOTER[locale],
  });
}

interface Addressee {
  to: string;
  name: string;
  locale: Locale;
}

export function invitationMail(input: Addressee & { url: string; institution: string; invitedBy: string; expiresInDays: number }): OutgoingMessage {
  return compose({
    kind: 'invitation',
    ...input,
    es: {
      subject: 'Invitación a Capacita',
      paragraphs: [
        `${input.invitedBy} le invita a Capacita, la plataforma de formación sobre trata de personas y tráfico ilícito de migrantes, como integrante de ${input.institution}.`,
        `Para activar su cuenta, elija una contraseña con el enlace de abajo. El enlace sirve una sola vez y vence en ${input.expiresInDays} días.`,
      ],
      action: 'Activar mi cuenta',
    },
    en: {
      subject: 'Invitation to Capacita',
      paragraphs: [
        `${input.invitedBy} invites you to Capacita, the training platform on trafficking in persons and smuggling of migrants, as a member of ${input.institution}.`,
        `To activate your account, choose a password with the link below. The link works once and expires in ${input.expiresInDays} days.`,
      ],
      action: 'Activate my account',
    },
  });
}

export function passwordResetMail(input: Addressee & { url: string }): OutgoingMessage {
  return compose({
    kind: 'password_reset',
    ...input,
    es: {
      subject: 'Restablecer su contraseña de Capacita',
      paragraphs: [
        'Alguien (probablemente usted) pidió restablecer la contraseña de su cuenta de Capacita.',
        'El enlace sirve una sola vez y vence en 1 hora. Al cambiar la contraseña se cerrarán todas sus sesiones abiertas. Si no lo pidió, ignore este mensaje: su contraseña no cambia.',
      ],
      action: 'Elegir una contraseña nueva',
    },
    en: {
      subject: 'Reset your Capacita password',
      paragraphs: [
        'Someone (probably you) asked to reset the password of your Capacita account.',
        'The link works once and expires in 1 hour. Changing the password signs you out everywhere. If you did not ask for this, ignore this message: your password stays the same.',
      ],
      action: 'Choose a new password',
    },
  });
}

/** The committee's decision on a request to join a specialised unit (src/server/admin/people.ts). */
export function specialistDecisionMail(input: Addressee & { approved: boolean; reason: string; url: string }): OutgoingMessage {
  const { approved } = input;
  return compose({
    kind: approved ? 'specialist_approved' : 'specialist_rejected',
    ...input,
    es: {
      subject: approved ? 'Solicitud de unidad especializada aprobada' : 'Solicitud de unidad especializada no aprobada',
      paragraphs: [
        approved
          ? 'Su comité nacional aprobó su solicitud como integrante de una unidad especializada. Ya puede inscribirse en los cursos del nivel Especializado.'
          : 'Su comité nacional no aprobó su solicitud como integrante de una unidad especializada.',
        `Motivo: ${input.reason}`,
      ],
      action: 'Ir a Capacita',
    },
    en: {
      subject: approved ? 'Specialised unit request approved' : 'Specialised unit request not approved',
      paragraphs: [
        approved
          ? 'Your national committee approved your request as a member of a specialised unit. You can now enrol in the Specialised courses.'
          : 'Your national committee did not approve your request as a member of a specialised unit.',
        `Reason: ${input.reason}`,
      ],
      action: 'Go to Capacita',
    },
  });
}

/** The committee's decision on a certificate name correction (src/server/learning/name-corrections.ts). */
export function nameCorrectionDecisionMail(input: Addressee & { approved: boolean; requestedName: string; reason: string; url: string }): OutgoingMessage {
  const { approved, requestedName, reason } = input;
  return compose({
    kind: approved ? 'name_correction_approved' : 'name_correction_rejected',
    ...input,
    es: {
      subject: approved ? 'Certificado corregido' : 'Corrección de certificado no aprobada',
      paragraphs: [
        approved
          ? `Su comité nacional aprobó la corrección: su certificado se volvió a emitir con el nombre «${requestedName}» y el mismo código de verificación.`
          : `Su comité nacional no aprobó que su certificado lleve el nombre «${requestedName}».`,
        ...(reason ? [`Motivo: ${reason}`] : []),
      ],
      action: 'Ver el certificado',
    },
    en: {
      subject: approved ? 'Certificate corrected' : 'Certificate correction not approved',
      paragraphs: [
        approved
          ? `Your national committee approved the correction: your certificate was re-issued with the name “${requestedName}” and the same verification code.`
          : `Your national committee did not approve your certificate carrying the name “${requestedName}”.`,
        ...(reason ? [`Reason: ${reason}`] : []),
      ],
      action: 'View the certificate',
    },
  });
}

/** After self-registration: the link that proves the address (the account counts nowhere until it is followed). */
export function emailVerificationMail(input: Addressee & { url: string; expiresInDays: number }): OutgoingMessage {
  return compose({
    kind: 'email_verification',
    ...input,
    es: {
      subject: 'Confirme su correo en Capacita',
      paragraphs: [
        'Alguien (probablemente usted) creó una cuenta de Capacita con esta dirección de correo.',
        `Para usarla, confirme que la dirección es suya con el enlace de abajo. El enlace sirve una sola vez y vence en ${input.expiresInDays} días. Si no fue usted, ignore este mensaje: la cuenta no se activa.`,
      ],
      action: 'Confirmar mi correo',
    },
    en: {
      subject: 'Confirm your e-mail address for Capacita',
      paragraphs: [
        'Someone (probably you) created a Capacita account with this e-mail address.',
        `To use it, confirm that the address is yours with the link below. The link works once and expires in ${input.expiresInDays} days. If it was not you, ignore this message: the account stays inactive.`,
      ],
      action: 'Confirm my e-mail address',
    },
  });
}

/** Someone registered with an address that already has an account: its owner learns it, the form tells nobody. */
export function alreadyRegisteredMail(input: Addressee & { signInUrl: string; resetUrl: string }): OutgoingMessage {
  return compose({
    kind: 'already_registered',
    ...input,
    es: {
      subject: 'Ya tiene una cuenta de Capacita',
      paragraphs: [
        'Alguien intentó crear una cuenta de Capacita con esta dirección de correo, pero usted ya tiene una: no se creó ninguna cuenta nueva.',
        `Si fue usted, inicie sesión en ${input.signInUrl}. Si olvidó su contraseña, puede elegir una nueva en ${input.resetUrl}. Si no fue usted, no tiene que hacer nada.`,
      ],
    },
    en: {
      subject: 'You already have a Capacita account',
      paragraphs: [
        'Someone tried to create a Capacita account with this e-mail address, but you already have one: no new account was created.',
        `If it was you, sign in at ${input.signInUrl}. If you forgot your password, you can choose a new one at ${input.resetUrl}. If it was not you, there is nothing to do.`,
      ],
    },
  });
}
