// The invitation page greets the person its link is for, read through the domain (invitedPerson), and only while the
// link is unused and unexpired.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invitedPerson, inviteUser } from '../../src/server/admin/invitations.ts';
import { createEmailToken, INVITATION_LIFETIME } from '../../src/server/auth/email-token.ts';
import { setPasswordWithToken } from '../../src/server/auth/password-reset.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { createPerson, institutionId } from './helpers/admin-people.ts';

describe('invitedPerson', () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await createTestDatabase()));
  afterEach(() => t.close());

  it('names the invited person while the link is open, and nobody once it is used, expired or made up', async () => {
    const committee = await createPerson(t.db, { role: 'committee', countryCode: 'GT' });
    const mp = await institutionId(t.db, 'GT', 'MP');
    const { userId } = await inviteUser(t.db, committee, { name: 'Ana Invitada', email: 'ana@x.gt', institutionId: mp, role: 'learner', locale: 'es' }, { origin: 'http://capacita.test' });
    // A fresh link for the same invitation (the mailed one is only in the outbox text).
    const now = Date.now();
    const token = await createEmailToken(t.db, userId, 'invitation', INVITATION_LIFETIME, now);

    expect(await invitedPerson(t.db, token, now)).toEqual({ name: 'Ana Invitada', email: 'ana@x.gt' });
    expect(await invitedPerson(t.db, token, now + INVITATION_LIFETIME + 1)).toBeNull();
    expect(await invitedPerson(t.db, 'not a token', now)).toBeNull();
    expect(await invitedPerson(t.db, 'a'.repeat(32), now)).toBeNull();

    expect((await setPasswordWithToken(t.db, token, 'invitation', 'una contraseña bastante larga')).ok).toBe(true);
    expect(await invitedPerson(t.db, token)).toBeNull();
  });
});
