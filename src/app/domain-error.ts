// The one adapter from the domain's refusals (DomainError, src/server/errors.ts) to what Astro speaks: an ActionError
// for Actions (its message is the i18n key, as for every ActionError here: src/app/forms.ts translates it for the
// form), a translated Response for endpoints and pages. The code → status table lives here and nowhere else.
import { ActionError } from 'astro:actions';
import type { Locale } from '../i18n/index.ts';
import { DomainError, type DomainErrorCode } from '../server/errors.ts';
import { errorResponse } from './errors.ts';

type ActionErrorCode = ConstructorParameters<typeof ActionError>[0]['code'];

export const ACTION_CODE: Record<DomainErrorCode, ActionErrorCode> = {
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  notFound: 'NOT_FOUND',
  invalid: 'BAD_REQUEST',
  conflict: 'CONFLICT',
  tooLarge: 'CONTENT_TOO_LARGE',
  tooMany: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
};

export const HTTP_STATUS: Record<DomainErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  invalid: 400,
  conflict: 409,
  tooLarge: 413,
  tooMany: 429,
  unavailable: 503,
};

export function toActionError(error: DomainError): ActionError {
  return new ActionError({ code: ACTION_CODE[error.code], message: error.key });
}

/** Runs a domain call inside an Action, turning its DomainError into the ActionError forms and pages understand. */
export async function asAction<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError) throw toActionError(error);
    throw error;
  }
}

/**
 * An Action handler that refuses the way the domain does, by throwing a DomainError (its own, or one from the domain
 * it calls): `handler: domainHandler(async (input, context) => { parse → authorise → call the domain → return })`.
 */
export function domainHandler<I, C, T>(handler: (input: I, context: C) => Promise<T>): (input: I, context: C) => Promise<T> {
  return (input, context) => asAction(() => handler(input, context));
}

/** What a page about one record (/admin/people/12) has to show: the record, the "not yours" page, or a 404. */
export interface PageRecord<T> {
  record: T | null;
  forbidden: boolean;
  missing: boolean;
}

/**
 * Loads the record a page's `[id]` names through the domain, which refuses with `forbidden` when the viewer may not
 * see it (the page then says so, with a 403) and `notFound` when there is none; an id that is not a positive whole
 * number is missing without asking.
 */
export async function recordForPage<T>(rawId: string | undefined, load: (id: number) => Promise<T | null | undefined>): Promise<PageRecord<T>> {
  const id = Number(rawId);
  if (!Number.isInteger(id) || id <= 0) return { record: null, forbidden: false, missing: true };
  try {
    const record = (await load(id)) ?? null;
    return { record, forbidden: false, missing: record === null };
  } catch (error) {
    if (!(error instanceof DomainError) || (error.code !== 'forbidden' && error.code !== 'notFound')) throw error;
    return { record: null, forbidden: error.code === 'forbidden', missing: error.code === 'notFound' };
  }
}

/** A refusal as an HTTP answer for an endpoint or page: the code's status and the translated message. */
export function domainErrorResponse(error: DomainError, locale: Locale, json: boolean): Response {
  return errorResponse(HTTP_STATUS[error.code], error.key, locale, json);
}
