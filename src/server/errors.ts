// The one way domain code refuses: throw a DomainError. Its code says what kind of refusal it is (the adapter in
// src/app/domain-error.ts turns it into an HTTP status), its key the i18n message the person reads, and `item` names
// the offending thing where a message alone would not (Starlight's "Orphan heading found: …"), for logs and tests.
// The normal outcomes a caller branches on (a lesson already done, a sign-in that needs a second factor) stay typed
// results; a DomainError is for "no, and here is why".
import type { MessageKey } from '../i18n/index.ts';

export type DomainErrorCode = 'unauthorized' | 'forbidden' | 'notFound' | 'invalid' | 'conflict' | 'tooLarge' | 'tooMany' | 'unavailable';

/** The message a code reads as when the domain has nothing more specific to say. */
export const DEFAULT_MESSAGE: Record<DomainErrorCode, MessageKey> = {
  unauthorized: 'errors.signInRequired',
  forbidden: 'errors.forbidden',
  notFound: 'errors.notFound',
  invalid: 'errors.invalidInput',
  conflict: 'errors.conflict',
  tooLarge: 'errors.tooLarge',
  tooMany: 'errors.tooMany',
  unavailable: 'errors.unavailable',
};

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly key: MessageKey;
  readonly item: string | undefined;
  constructor(code: DomainErrorCode, key: MessageKey = DEFAULT_MESSAGE[code], item?: string) {
    super(item === undefined ? `${code}: ${key}` : `${code}: ${key} (${item})`);
    this.name = 'DomainError';
    this.code = code;
    this.key = key;
    this.item = item;
  }
}

export const forbidden = (): DomainError => new DomainError('forbidden');
export const notFound = (item?: string): DomainError => new DomainError('notFound', 'errors.notFound', item);

/**
 * What each failure of a domain function's typed result reads as, by its name: `Record` makes the table whole, so a
 * new failure in the domain's union is a type error until someone says how it reads.
 */
export type Refusals<E extends string> = Record<E, readonly [DomainErrorCode, MessageKey]>;

/** The failure names of a domain function's typed result (`{ ok: false; error: … }`). */
export type Failure<R> = R extends { ok: false; error: infer E extends string } ? E : never;

/** The DomainError a typed result's failure stands for. */
export function refusal<E extends string>(refusals: Refusals<E>, error: E): DomainError {
  const [code, key] = refusals[error];
  return new DomainError(code, key, error);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
