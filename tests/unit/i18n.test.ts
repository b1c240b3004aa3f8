import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage, switchLocalePath, translate } from '../../src/i18n/index.ts';

describe('i18n', () => {
  it('picks the best supported language from Accept-Language', () => {
    expect(localeFromAcceptLanguage('en-US,en;q=0.9,es;q=0.8')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR,fr;q=0.9,es;q=0.5,en;q=0.4')).toBe('es');
    expect(localeFromAcceptLanguage('de')).toBe('es');
    expect(localeFromAcceptLanguage(undefined)).toBe('es');
  });
  it('switches language keeping the page', () => {
    expect(switchLocalePath('/es/courses/basico-fundamentos', 'en')).toBe('/en/courses/basico-fundamentos');
    expect(switchLocalePath('/en', 'es')).toBe('/es/');
    expect(switchLocalePath('/verify/ABCD', 'en')).toBe('/en/');
  });
  it('translates with parameters', () => {
    expect(translate('es', 'common.nav.signIn')).toBe('Iniciar sesión');
    expect(translate('en', 'common.nav.signIn')).toBe('Sign in');
  });
});
