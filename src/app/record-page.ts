// The start of an administration page about one record (/admin/people/12, /admin/institutions/3) whose forms post to
// the page's own Actions, written once: a signed-in viewer (or the sign-in page, back to this address), a form that
// just succeeded redirected (303, so a reload does not post again), the record loaded through the domain (403 page when
// it is not the viewer's, 404 when there is none), and each form's feedback.
import type { AstroGlobal } from 'astro';
import type { Database } from '../../db/client.ts';
import { useTranslations, localePath, type Locale } from '../i18n/index.ts';
import { signInPath } from '../server/auth/return-path.ts';
import type { SessionUser } from '../server/auth/session.ts';
import { getDb } from './db.ts';
import { recordForPage } from './domain-error.ts';
import { pageForms, type FormFeedback } from './forms.ts';

type PageAction = Parameters<AstroGlobal['getActionResult']>[0];

export interface RecordPageOptions<T, K extends string> {
  /** The page's path after the language, from the record's id as the address gives it (`(id) => `/admin/people/${id}``). */
  path: (id: string) => string;
  /** The Actions the page's forms post to, by the name the page gives each form. */
  forms: Record<K, PageAction>;
  /** The record, through the domain (which refuses with forbidden or notFound). */
  load: (db: Database, user: SessionUser, id: number) => Promise<T | null | undefined>;
}

export interface RecordPage<T, K extends string> {
  user: SessionUser;
  locale: Locale;
  t: ReturnType<typeof useTranslations>;
  db: Database;
  /** The page's own address, which its forms post to. */
  here: string;
  record: T | null;
  forbidden: boolean;
  feedback: Record<K, FormFeedback>;
}

/** The page, or the Response it answers with instead (sign in, a redirect after a post, the 404 page). */
export async function recordPage<T, K extends string>(astro: AstroGlobal, options: RecordPageOptions<T, K>): Promise<RecordPage<T, K> | Response> {
  const { locale, user } = astro.locals;
  if (!user) return astro.redirect(signInPath(locale, astro.url.pathname + astro.url.search), 302);
  const here = localePath(locale, options.path(astro.params.id ?? ''));
  const results = Object.fromEntries(Object.entries<PageAction>(options.forms).map(([name, action]) => [name, astro.getActionResult(action)])) as Record<K, ReturnType<AstroGlobal['getActionResult']>>;
  const { succeeded, feedback } = pageForms(results, locale);
  if (succeeded) return astro.redirect(`${here}?saved=1`, 303);
  const db = getDb();
  const { record, forbidden, missing } = await recordForPage(astro.params.id, (id) => options.load(db, user, id));
  if (missing) return astro.rewrite('/404');
  return { user, locale, t: useTranslations(locale), db, here, record, forbidden, feedback };
}
