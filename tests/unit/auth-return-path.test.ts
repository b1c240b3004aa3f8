import { describe, expect, it } from 'vitest';
import { landingPath, safeReturnPath, signInPath } from '../../src/server/auth/return-path.ts';

describe('the return path after signing in', () => {
  it('follows paths of this site, with their query and fragment', () => {
    for (const path of ['/es/courses/basico-fundamentos', '/en/admin/people/12?tab=progress', '/es/dashboard#cobertura', '/en', '/es/']) {
      expect(safeReturnPath(path)).toBe(path);
    }
  });

  it('refuses anything that could leave the origin or is not a page path', () => {
    const refused = [
      'https://evil.example/es/',
      'javascript:alert(1)',
      '//evil.example/es/',
      '/\\evil.example',
      '/es\\..\\..\\evil',
      '\\\\evil.example',
      '/es/%2f%2fevil.example',
      '/es/..%2F..%2Fevil',
      '/es/../../evil',
      ' /es/courses',
      '/es/courses\n',
      '/es/\tcourses',
      'es/courses',
      '/courses',
      '/fr/courses',
      '/esx/courses',
      '',
      '/es/' + 'a'.repeat(2000),
      '/es/login',
      '/en/logout',
      '/es/two-factor/setup',
      null,
      undefined,
      42,
    ];
    for (const value of refused) expect(safeReturnPath(value), String(value)).toBeNull();
  });

  it('builds the sign-in link with the return path encoded, or none when it is not safe', () => {
    expect(signInPath('es', '/es/courses/x?y=1')).toBe('/es/login?next=%2Fes%2Fcourses%2Fx%3Fy%3D1');
    expect(signInPath('en', '//evil.example')).toBe('/en/login');
  });

  it('lands committee members, the coordination and observers on their dashboard, the rest on their learning', () => {
    expect(landingPath('committee')).toBe('/dashboard');
    expect(landingPath('coordinator')).toBe('/dashboard');
    expect(landingPath('observer')).toBe('/dashboard');
    for (const role of ['learner', 'specialist', 'journalist', 'admin'] as const) expect(landingPath(role)).toBe('/learning');
  });
});
