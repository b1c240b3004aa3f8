// The Argon2 cost: the OWASP minimum unless the browser suite's test-only knob is set (src/server/auth/password.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, verifyPasswordHash } from '../../src/server/auth/password.ts';
import { testOnlyHashCostProblem } from '../../src/server/auth/test-hash-cost.ts';
import { ensureDemoAccounts } from '../../db/seed/demo-accounts.ts';
import { users } from '../../db/schema.ts';
import { createTestDatabase } from './helpers/database.ts';

const KNOB = 'CAPACITA_TEST_CHEAP_PASSWORD_HASH';
const saved = process.env[KNOB];
afterEach(() => {
  if (saved === undefined) delete process.env[KNOB];
  else process.env[KNOB] = saved;
});

describe('password hash cost', () => {
  it('is Argon2id at 19 MiB, 2 iterations, 1 lane without the test knob (production, the demo)', async () => {
    delete process.env[KNOB];
    expect(await hashPassword('ríos verdes bajo la lluvia')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    process.env[KNOB] = '0';
    expect(await hashPassword('ríos verdes bajo la lluvia')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('the demo accounts get the same production-strength hash', async () => {
    delete process.env[KNOB];
    const t = await createTestDatabase();
    try {
      await ensureDemoAccounts(t.db);
      const hashes = (await t.db.select({ hash: users.passwordHash }).from(users)).map((r) => r.hash);
      expect(hashes.length).toBeGreaterThan(0);
      for (const hash of hashes) expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    } finally {
      t.close();
    }
  });

  it('is cheap only with the knob set, and either hash verifies the same way', async () => {
    process.env[KNOB] = '1';
    const cheap = await hashPassword('ríos verdes bajo la lluvia');
    expect(cheap).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    delete process.env[KNOB];
    const strong = await hashPassword('ríos verdes bajo la lluvia');
    for (const hash of [cheap, strong]) {
      expect(await verifyPasswordHash(hash, 'ríos verdes bajo la lluvia')).toBe(true);
      expect(await verifyPasswordHash(hash, 'ríos verdes bajo la nieve')).toBe(false);
    }
  });

  it('makes `npm start` refuse to run with the test-only knob, and only with it', () => {
    expect(testOnlyHashCostProblem({ [KNOB]: '1' })).toMatch(/browser tests only/);
    expect(testOnlyHashCostProblem({ [KNOB]: '0' })).toBeNull();
    expect(testOnlyHashCostProblem({})).toBeNull();
  });
});
