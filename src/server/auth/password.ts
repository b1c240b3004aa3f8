import { hash, verify } from '@node-rs/argon2';
import type { Refusals } from '../errors.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import { cheapHashesRequested } from './test-hash-cost.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

// OWASP's Argon2id minimum: 19 MiB, 2 iterations, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;
// Tests only: the browser suite's servers (tests/e2e/server.mjs, tests/e2e/support/instance.ts) set
// CAPACITA_TEST_CHEAP_PASSWORD_HASH=1 so its registrations and sign-ins do not each spend ≈ 100 ms of a shared core on
// Argon2 (issue 19.5). Nothing else sets it: unset (production, the demo, the unit tests) every new hash has the
// OWASP minimum above. A hash carries its own parameters, so verification is the same code either way.
const TEST_ARGON2_OPTIONS = { memoryCost: 1024, timeCost: 1, outputLen: 32, parallelism: 1 } as const;

/** The Argon2id parameters new hashes are made with. */
function passwordHashOptions(): typeof ARGON2_OPTIONS | typeof TEST_ARGON2_OPTIONS {
  return cheapHashesRequested(process.env) ? TEST_ARGON2_OPTIONS : ARGON2_OPTIONS;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, passwordHashOptions());
}

export async function verifyPasswordHash(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export type PasswordProblem = 'tooShort' | 'tooLong' | 'tooCommon' | 'containsEmail';

/** How each weakness reads, wherever a new password is chosen (registration, change, reset, invitation). */
export const WEAK_PASSWORD: Refusals<PasswordProblem> = {
  tooShort: ['invalid', 'auth.password.tooShort'],
  tooLong: ['invalid', 'auth.password.tooLong'],
  tooCommon: ['invalid', 'auth.password.tooCommon'],
  containsEmail: ['invalid', 'auth.password.containsEmail'],
};

/** Why a new password is not acceptable, or null when it is. */
export function checkPasswordStrength(password: string, email?: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'tooShort';
  if (password.length > MAX_PASSWORD_LENGTH) return 'tooLong';
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'tooCommon';
  // A long run of one character or a keyboard walk is as weak as a dictionary word.
  if (/^(.)\1+$/.test(password) || /^(0123456789|1234567890|qwertyuiop|asdfghjkl)+/.test(lower)) return 'tooCommon';
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'containsEmail';
  return null;
}
