// The one adapter from domain refusals to HTTP: every code has its status, an Action sees the code as an ActionError
// carrying the i18n key (which forms translate), and an endpoint gets the translated message in either language.
import { describe, expect, it, vi } from 'vitest';

// astro:actions is a virtual module of the Astro build; its ActionError comes from this file of the astro package.
vi.mock('astro:actions', () => import('../../node_modules/astro/dist/actions/runtime/client.js'));

const { asAction, domainErrorResponse, HTTP_STATUS, recordForPage } = await import('../../src/app/domain-error.ts');
const { DomainError, forbidden, notFound } = await import('../../src/server/errors.ts');
const { translate } = await import('../../src/i18n/index.ts');

const EXPECTED = { unauthorized: 401, forbidden: 403, notFound: 404, invalid: 400, conflict: 409, tooLarge: 413, tooMany: 429, unavailable: 503 } as const;

describe('DomainError → ActionError / Response', () => {
  it('gives every code its own status', () => {
    expect(HTTP_STATUS).toEqual(EXPECTED);
  });

  it('turns a refusal inside an Action into an ActionError with the status and the i18n key', async () => {
    for (const [code, status] of Object.entries(EXPECTED) as [keyof typeof EXPECTED, number][]) {
      const refused = asAction(() => Promise.reject(new DomainError(code)));
      await expect(refused).rejects.toMatchObject({ type: 'AstroActionError', status });
    }
    await expect(asAction(async () => { throw new DomainError('conflict', 'admin.institutions.nameTaken'); })).rejects.toMatchObject({ code: 'CONFLICT', status: 409, message: 'admin.institutions.nameTaken' });
  });

  it('lets a result through and an unexpected error stay what it is', async () => {
    await expect(asAction(async () => 7)).resolves.toBe(7);
    const bug = new TypeError('a real bug');
    await expect(asAction(async () => { throw bug; })).rejects.toBe(bug);
  });

  it('answers an endpoint with the status and the translated message, in JSON or as a page', async () => {
    const json = domainErrorResponse(new DomainError('tooMany', 'admin.invite.resentRecently'), 'en', true);
    expect(json.status).toBe(429);
    const body = (await json.json()) as { code: string; message: string; error: string };
    expect(body).toMatchObject({ code: 'TOO_MANY_REQUESTS', error: 'admin.invite.resentRecently', message: translate('en', 'admin.invite.resentRecently') });
    expect(body.message).not.toBe('admin.invite.resentRecently');

    const page = domainErrorResponse(forbidden(), 'es', false);
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain(translate('es', 'errors.forbidden'));
  });

  it('falls back to the code’s own message, translated in both languages, and names the offending item', () => {
    for (const code of Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]) {
      const error = new DomainError(code);
      expect(translate('es', error.key)).not.toBe(error.key);
      expect(translate('en', error.key)).not.toBe(translate('es', error.key));
    }
    expect(notFound('import 42').message).toContain('import 42');
  });

  it('gives a record page its record, a 403 for a refusal, a 404 for nothing — and lets other refusals through', async () => {
    expect(await recordForPage('12', async (id) => ({ id }))).toEqual({ record: { id: 12 }, forbidden: false, missing: false });
    expect(await recordForPage('12', async () => { throw forbidden(); })).toEqual({ record: null, forbidden: true, missing: false });
    expect(await recordForPage('12', async () => { throw notFound('person 12'); })).toEqual({ record: null, forbidden: false, missing: true });
    expect(await recordForPage('12', async () => null)).toEqual({ record: null, forbidden: false, missing: true });
    let asked = 0;
    for (const id of [undefined, '', '0', '-3', '1.5', 'abc']) {
      expect(await recordForPage(id, async () => ++asked)).toMatchObject({ missing: true });
    }
    expect(asked).toBe(0);
    await expect(recordForPage('12', async () => { throw new DomainError('tooMany'); })).rejects.toMatchObject({ code: 'tooMany' });
  });
});
