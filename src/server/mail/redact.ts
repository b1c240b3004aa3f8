// Links in e-mail that carry a single-use secret (invitation, password reset, address confirmation: the token of
// src/server/auth/email-token.ts) are live until used or expired. The outbox needs them only until the message has
// left: once sent (or given up), the stored text keeps the link's route and loses the secret, so neither an
// administrator reading the outbox nor anyone holding a backup can follow it.

/** The routes whose last path segment is a token. */
const SECRET_ROUTES = ['invitation', 'reset-password', 'register/confirm'];
const SECRET_ROUTE_LINK = new RegExp(`(https?://[^\\s"<>]*?/(?:es|en)/(?:${SECRET_ROUTES.join('|')}))/[^\\s"<>/?#]+`, 'g');
/** A token anywhere else in a link: 20 random bytes in lower-case base32 (generateSessionToken). */
const TOKEN_SEGMENT = /(https?:\/\/[^\s"<>]*\/)[a-z2-7]{32}(?=[\s"<>/?#]|$)/g;

export const REDACTED_SECRET = '[…]';

export function redactSecretLinks(text: string): string {
  return text.replace(SECRET_ROUTE_LINK, `$1/${REDACTED_SECRET}`).replace(TOKEN_SEGMENT, `$1${REDACTED_SECRET}`);
}
