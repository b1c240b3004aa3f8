// A page's own forms after a post (src/app/forms.ts pageForms): the one that succeeded makes the page redirect, the
// one that was refused gets its translated messages, and the others stay blank.
import { describe, expect, it, vi } from 'vitest';

// astro:actions is a virtual module of the Astro build; its errors come from this file of the astro package.
vi.mock('astro:actions', () => import('../../node_modules/astro/dist/actions/runtime/client.js'));

const { ActionError, ActionInputError } = await import('../../node_modules/astro/dist/actions/runtime/client.js');
const { pageForms } = await import('../../src/app/forms.ts');

const blank = { formError: null, fieldErrors: {} };

describe('pageForms', () => {
  it('a page that was not posted to: nothing succeeded, every form blank', () => {
    expect(pageForms({ edit: undefined, active: undefined }, 'es')).toEqual({ succeeded: false, feedback: { edit: blank, active: blank } });
  });

  it('one form succeeded: the page redirects', () => {
    expect(pageForms({ edit: undefined, active: { data: { id: 3 }, error: undefined } }, 'es').succeeded).toBe(true);
  });

  it('a refused form gets its messages in the reader’s language, the others none', () => {
    const refused = new ActionError({ code: 'CONFLICT', message: 'admin.institutions.nameTaken' });
    const { succeeded, feedback } = pageForms({ edit: { data: undefined, error: refused }, active: undefined }, 'en');
    expect(succeeded).toBe(false);
    expect(feedback.edit.formError).toMatch(/already/i);
    expect(feedback.active).toEqual(blank);
  });

  it('a form with a field in error names the field, translated', () => {
    const input = new ActionInputError([{ path: ['name'], message: 'admin.error.nameRequired', code: 'custom' }]);
    const { feedback } = pageForms({ edit: { data: undefined, error: input } }, 'es');
    expect(feedback.edit.fieldErrors).toEqual({ name: expect.stringMatching(/nombre/i) });
    expect(feedback.edit.formError).not.toBeNull();
  });
});
