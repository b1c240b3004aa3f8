import { describe, expect, it } from 'vitest';
import { resolveSecurityContact } from '../../src/server/security-contact.ts';

describe('the security contact a deployment publishes', () => {
  it('is the configured address, with the subject docs/SECURITY.md asks for', () => {
    expect(resolveSecurityContact(' seguridad@capacita.example.org ')).toEqual({ address: 'seguridad@capacita.example.org', mailto: 'mailto:seguridad@capacita.example.org?subject=Capacita%20security' });
  });
  it('is absent when unset', () => {
    expect(resolveSecurityContact(undefined)).toBeNull();
    expect(resolveSecurityContact('  ')).toBeNull();
  });
  it('refuses what is not one address, naming the variable', () => {
    for (const bad of ['https://capacita.example.org/security', 'a@b.org, c@d.org', 'Seguridad <seguridad@capacita.example.org>', 'seguridad', 'x@localhost', 'x@example.org?bcc=y@evil.example']) {
      expect(() => resolveSecurityContact(bad), bad).toThrow(/SECURITY_CONTACT/);
    }
  });
});
