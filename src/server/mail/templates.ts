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
 * paragraph per block, "Label:" followed by a link line becomes a button, the block after "--" the footer.
 */
export function htmlFromText(subject: string, text: string, locale: Locale): string {
  const blocks = text.split(/\n{2,}/);
  const parts = blocks.map((block) => {
    const action = block.match(/^(.+):\n(https?:\/\/\S+)$/);
    if (action) {
      const [, label, url] = action;
      return `<p><a href="${escapeHtml(url!)}" style="display:inline-block;background:#0b4f8a;color:#fff;padding:0.6rem 1rem;border-radius:6px;text-decoration:none">${escapeHtml(label!)}</a></p><p style="font-size:0.9rem;color:#4a5560">${escapeHtml(url!)}</p>`;
    }
    if (block.startsWith('--\n')) return `<hr><p style="font-size:0.85rem;color:#4a5560">${escapeHtml(block.slice(3))}</p>`;
    return `<p>${escapeHtml(block).replace(/\n/g, '<br>')}</p>`;
  });
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:system-ui,sans-serif;color:#1b1f24;line-height:1.5;max-width:40rem">${parts.join('')}</body></html>`;
}

export const FOOTER: Record<Locale, string> = {
  es: 'Capacita — Coalición Regional contra la Trata de Personas y el Tráfico Ilícito de Migrantes. Mensaje automático: no respondas a este correo.',
  en: 'Capacita — Regional Coalition against Trafficking in Persons and Smuggling of Migrants. Automatic message: please do not reply.',
};

export const hello = (locale: Locale, name: string | null) => (locale === 'es' ? (name ? `Hola, ${name}:` : 'Hola:') : name ? `Hello ${name},` : 'Hello,');

export function invitationMail(input: { to: string; name: string; locale: Locale; url: string; institution: string; invitedBy: string; expiresInDays: number }): OutgoingMessage {
  const { locale } = input;
  return render('invitation', input.to, input.name, locale, {
    subject: locale === 'es' ? 'Invitación a Capacita' : 'Invitation to Capacita',
    greeting: hello(locale, input.name),
    paragraphs:
      locale === 'es'
        ? [
            `${input.invitedBy} te invita a Capacita, la plataforma de formación sobre trata de personas y tráfico ilícito de migrantes, como integrante de ${input.institution}.`,
            `Para activar tu cuenta, elige una contraseña con el enlace de abajo. El enlace sirve una sola vez y vence en ${input.expiresInDays} días.`,
          ]
        : [
            `${input.invitedBy} invites you to Capacita, the training platform on trafficking in persons and smuggling of migrants, as a member of ${input.institution}.`,
            `To activate your account, choose a password with the link below. The link works once and expires in ${input.expiresInDays} days.`,
          ],
    action: { label: locale === 'es' ? 'Activar mi cuenta' : 'Activate my account', url: input.url },
    footer: FOOTER[locale],
  });
}

export function passwordResetMail(input: { to: string; name: string; locale: Locale; url: string }): OutgoingMessage {
  const { locale } = input;
  return render('password_reset', input.to, input.name, locale, {
    subject: locale === 'es' ? 'Restablecer tu contraseña de Capacita' : 'Reset your Capacita password',
    greeting: hello(locale, input.name),
    paragraphs:
      locale === 'es'
        ? [
            'Alguien (probablemente tú) pidió restablecer la contraseña de tu cuenta de Capacita.',
            'El enlace sirve una sola vez y vence en 1 hora. Al cambiar la contraseña se cerrarán todas tus sesiones abiertas. Si no lo pediste, ignora este mensaje: tu contraseña no cambia.',
          ]
        : [
            'Someone (probably you) asked to reset the password of your Capacita account.',
            'The link works once and expires in 1 hour. Changing the password signs you out everywhere. If you did not ask for this, ignore this message: your password stays the same.',
          ],
    action: { label: locale === 'es' ? 'Elegir una contraseña nueva' : 'Choose a new password', url: input.url },
    footer: FOOTER[locale],
  });
}

export function specialistDecisionMail(input: { to: string; name: string; locale: Locale; approved: boolean; reason: string; url: string }): OutgoingMessage {
  const { locale, approved } = input;
  const paragraphs =
    locale === 'es'
      ? [
          approved
            ? 'Tu comité nacional aprobó tu solicitud como integrante de una unidad especializada. Ya puedes inscribirte en los cursos del nivel Especializado.'
            : 'Tu comité nacional no aprobó tu solicitud como integrante de una unidad especializada.',
          `Motivo: ${input.reason}`,
        ]
      : [
          approved
            ? 'Your national committee approved your request as a member of a specialised unit. You can now enrol in the Specialised courses.'
            : 'Your national committee did not approve your request as a member of a specialised unit.',
          `Reason: ${input.reason}`,
        ];
  return render(approved ? 'specialist_approved' : 'specialist_rejected', input.to, input.name, locale, {
    subject:
      locale === 'es'
        ? approved ? 'Solicitud de unidad especializada aprobada' : 'Solicitud de unidad especializada no aprobada'
        : approved ? 'Specialised unit request approved' : 'Specialised unit request not approved',
    greeting: hello(locale, input.name),
    paragraphs,
    action: { label: locale === 'es' ? 'Ir a Capacita' : 'Go to Capacita', url: input.url },
    footer: FOOTER[locale],
  });
}

/** The committee's decision on a certificate name correction (src/server/learning/name-corrections.ts). */
export function nameCorrectionDecisionMail(input: { to: string; name: string; locale: Locale; approved: boolean; requestedName: string; reason: string; url: string }): OutgoingMessage {
  const { locale, approved } = input;
  const paragraphs =
    locale === 'es'
      ? [
          approved
            ? `Tu comité nacional aprobó la corrección: tu certificado se volvió a emitir con el nombre «${input.requestedName}» y el mismo código de verificación.`
            : `Tu comité nacional no aprobó que tu certificado lleve el nombre «${input.requestedName}».`,
          ...(input.reason ? [`Motivo: ${input.reason}`] : []),
        ]
      : [
          approved
            ? `Your national committee approved the correction: your certificate was re-issued with the name “${input.requestedName}” and the same verification code.`
            : `Your national committee did not approve your certificate carrying the name “${input.requestedName}”.`,
          ...(input.reason ? [`Reason: ${input.reason}`] : []),
        ];
  return render(approved ? 'name_correction_approved' : 'name_correction_rejected', input.to, input.name, locale, {
    subject:
      locale === 'es'
        ? approved ? 'Certificado corregido' : 'Corrección de certificado no aprobada'
        : approved ? 'Certificate corrected' : 'Certificate correction not approved',
    greeting: hello(locale, input.name),
    paragraphs,
    action: { label: locale === 'es' ? 'Ver el certificado' : 'View the certificate', url: input.url },
    footer: FOOTER[locale],
  });
}

/** After self-registration: the link that proves the address (the account counts nowhere until it is followed). */
export function emailVerificationMail(input: { to: string; name: string; locale: Locale; url: string; expiresInDays: number }): OutgoingMessage {
  const { locale } = input;
  return render('email_verification', input.to, input.name, locale, {
    subject: locale === 'es' ? 'Confirma tu correo en Capacita' : 'Confirm your e-mail address for Capacita',
    greeting: hello(locale, input.name),
    paragraphs:
      locale === 'es'
        ? [
            'Alguien (probablemente tú) creó una cuenta de Capacita con esta dirección de correo.',
            `Para usarla, confirma que la dirección es tuya con el enlace de abajo. El enlace sirve una sola vez y vence en ${input.expiresInDays} días. Si no fuiste tú, ignora este mensaje: la cuenta no se activa.`,
          ]
        : [
            'Someone (probably you) created a Capacita account with this e-mail address.',
            `To use it, confirm that the address is yours with the link below. The link works once and expires in ${input.expiresInDays} days. If it was not you, ignore this message: the account stays inactive.`,
          ],
    action: { label: locale === 'es' ? 'Confirmar mi correo' : 'Confirm my e-mail address', url: input.url },
    footer: FOOTER[locale],
  });
}

/** Someone registered with an address that already has an account: its owner learns it, the form tells nobody. */
export function alreadyRegisteredMail(input: { to: string; name: string; locale: Locale; signInUrl: string; resetUrl: string }): OutgoingMessage {
  const { locale } = input;
  return render('already_registered', input.to, input.name, locale, {
    subject: locale === 'es' ? 'Ya tiene una cuenta de Capacita' : 'You already have a Capacita account',
    greeting: hello(locale, input.name),
    paragraphs:
      locale === 'es'
        ? [
            'Alguien intentó crear una cuenta de Capacita con esta dirección de correo, pero usted ya tiene una: no se creó ninguna cuenta nueva.',
            `Si fue usted, inicie sesión en ${input.signInUrl}. Si olvidó su contraseña, puede elegir una nueva en ${input.resetUrl}. Si no fue usted, no tiene que hacer nada.`,
          ]
        : [
            'Someone tried to create a Capacita account with this e-mail address, but you already have one: no new account was created.',
            `If it was you, sign in at ${input.signInUrl}. If you forgot your password, you can choose a new one at ${input.resetUrl}. If it was not you, there is nothing to do.`,
          ],
    footer: FOOTER[locale],
  });
}
