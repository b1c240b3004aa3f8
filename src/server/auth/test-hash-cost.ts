// The browser suite's test-only password hash cost (src/server/auth/password.ts), in a module of its own so that the
// start scripts can refuse it without loading the Argon2 binding into their process.

/** Set to '1' only by tests/e2e/server.mjs and tests/e2e/support/instance.ts. */
export const TEST_HASH_COST_KNOB = 'CAPACITA_TEST_CHEAP_PASSWORD_HASH';

export function cheapHashesRequested(env: NodeJS.ProcessEnv): boolean {
  return env[TEST_HASH_COST_KNOB] === '1';
}

/**
 * Why a production start must refuse (scripts/start.mjs; scripts/serve.mjs warns), or null: the test-only hash cost
 * set by mistake in a deployment would make every new password cheap to guess offline.
 */
export function testOnlyHashCostProblem(env: NodeJS.ProcessEnv): string | null {
  return cheapHashesRequested(env) ? `${TEST_HASH_COST_KNOB} is for the browser tests only (it weakens every new password hash); unset it.` : null;
}
