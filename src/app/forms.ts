// Turning an Action's result into translated messages for a form rendered without JavaScript.
import { isActionError, isInputError } from 'astro:actions';
import { isMessageKey, translate, type Locale } from '../i18n/index.ts';

type ActionResult = { data?: unknown; error?: unknown } | undefined;

export interface FormFeedback {
  /** A message for the whole form (shown at the top, announced to screen readers). */
  formError: string | null;
  /** Messages per field name. */
  fieldErrors: Record<string, string>;
}

function message(locale: Locale, keyOrText: string | undefined): string {
  if (keyOrText && isMessageKey(keyOrText)) return translate(locale, keyOrText);
  return translate(locale, 'errors.invalidInput');
}

export function formFeedback(result: ActionResult, locale: Locale): FormFeedback {
  const feedback: FormFeedback = { formError: null, fieldErrors: {} };
  const error = result?.error;
  if (!error) return feedback;
  if (isInputError(error)) {
    for (const [field, issues] of Object.entries(error.fields)) {
      const first = (issues as string[] | undefined)?.[0];
      if (first !== undefined) feedback.fieldErrors[field] = message(locale, first);
    }
    feedback.formError = translate(locale, 'errors.checkFields');
    return feedback;
  }
  if (isActionError(error)) {
    feedback.formError = message(locale, error.message);
    return feedback;
  }
  feedback.formError = translate(locale, 'errors.unexpected');
  return feedback;
}

/**
 * A page's own forms after a post to one of them (`{ edit: Astro.getActionResult(actions.x.y), … }`): `succeeded`
 * when one of them just did (the page then redirects, 303, so a reload does not post again), and each form's feedback.
 */
export function pageForms<K extends string>(results: Record<K, ActionResult>, locale: Locale): { succeeded: boolean; feedback: Record<K, FormFeedback> } {
  const entries = Object.entries(results) as [K, ActionResult][];
  return {
    succeeded: entries.some(([, result]) => result !== undefined && !result.error),
    feedback: Object.fromEntries(entries.map(([name, result]) => [name, formFeedback(result, locale)])) as Record<K, FormFeedback>,
  };
}
