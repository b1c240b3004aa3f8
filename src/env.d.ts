declare namespace App {
  interface Locals {
    locale: import('./i18n/index.ts').Locale;
    user: import('./server/auth/session.ts').SessionUser | null;
    session: import('./server/auth/session.ts').Session | null;
    ip: string | null;
    /** Set by the middleware when an unexpected error escaped, for the error page (src/pages/500.astro). */
    errorReference?: string;
  }
}
