import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, hashPassword, verifyPasswordHash } from '../../src/server/auth/password.ts';

describe('checkPasswordStrength', () => {
  it('asks for at least 12 characters', () => {
    expect(checkPasswordStrength('corto-123')).toBe('tooShort');
    expect(checkPasswordStrength('a'.repeat(11) + 'b')).toBeNull();
  });
  it('refuses passwords from the common-password list and trivial patterns', () => {
    expect(checkPasswordStrength('qwertyuiopasdfghjkl')).toBe('tooCommon');
    expect(checkPasswordStrength('123456789012')).toBe('tooCommon');
    expect(checkPasswordStrength('aaaaaaaaaaaaaaa')).toBe('tooCommon');
    expect(checkPasswordStrength('Capacita2026')).toBe('tooCommon');
  });
  it('refuses a password containing the e-mail name', () => {
    expect(checkPasswordStrength('mariagarcia-segura', 'mariagarcia@example.org')).toBe('containsEmail');
  });
  it('refuses absurdly long input', () => {
    expect(checkPasswordStrength('x'.repeat(300))).toBe('tooLong');
  });
  it('accepts a passphrase', () => {
    expect(checkPasswordStrength('ríos verdes bajo la lluvia', 'ana@example.org')).toBeNull();
  });
});

describe('Argon2id hashing', () => {
  it('verifies the right password and rejects a wrong one or a broken hash', async () => {
    const hash = await hashPassword('ríos verdes bajo la lluvia');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPasswordHash(hash, 'ríos verdes bajo la lluvia')).toBe(true);
    expect(await verifyPasswordHash(hash, 'rios verdes bajo la lluvia')).toBe(false);
    expect(await verifyPasswordHash('not-a-hash', 'whatever')).toBe(false);
  });
});
