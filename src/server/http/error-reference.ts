// An unexpected failure gets a short reference that the error page shows and the server log carries with the error,
// so a person who writes "it failed, reference E-7KQ2-M9XD" can be matched to the stack trace without sending it to them.
import { randomBytes } from 'node:crypto';

// Crockford's base 32: no I, L, O or U, so a reference read aloud over the phone is not misheard.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const REFERENCE = /^E-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export function newErrorReference(): string {
  const chars = [...randomBytes(8)].map((byte) => ALPHABET[byte % 32]).join('');
  return `E-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

export function isErrorReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}

/** Logs the failure with a new reference (one line to grep, then the stack) and returns the reference. */
export function logUnexpectedError(error: unknown, where: { method: string; path: string }, log: (line: string) => void = console.error): string {
  const reference = newErrorReference();
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  log(`[error ${reference}] ${where.method} ${where.path}\n${detail}`);
  return reference;
}
