// The one error type the administration modules throw: a code for the HTTP status and an i18n key for the message.
export type AdminErrorCode = 'forbidden' | 'not_found' | 'invalid' | 'conflict' | 'too_large' | 'too_many';

export class AdminError extends Error {
  readonly code: AdminErrorCode;
  readonly key: string;
  constructor(code: AdminErrorCode, key: string) {
    super(`${code}: ${key}`);
    this.code = code;
    this.key = key;
  }
}

export const forbidden = () => new AdminError('forbidden', 'errors.forbidden');
export const notFound = () => new AdminError('not_found', 'errors.notFound');
