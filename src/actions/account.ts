// Account Actions around e-mail links, the second factor and privacy.
import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { deliverMailSoon, publicOrigin } from '../app/admin.ts';
import { asAction, domainHandler } from '../app/domain-error.ts';
import { refusal, type Failure, type Refusals } from '../server/errors.ts';
import { getDb } from '../app/db.ts';
import { authorize, requireUser } from '../app/guard.ts';
import { deleteSessionTokenCookie } from '../app/session-cookie.ts';
import { MAX_PASSWORD_LENGTH, WEAK_PASSWORD } from '../server/auth/password.ts';
import { requestPasswordReset, setPasswordWithToken } from '../server/auth/password-reset.ts';
import { enrolTotp, verifySecondFactor, type EnrolResult } from '../server/auth/two-factor.ts';
import { eraseOwnAccount } from '../server/privacy.ts';
import { changeOwnName } from '../server/account-name.ts';
import { personNameField } from '../app/person-name-field.ts';
import { positionField, sexField } from '../app/profile-fields.ts';
import { updateOwnProfile } from '../server/profile.ts';

const email = z.string({ error: 'errors.emailInvalid' }).trim().max(254, { error: 'errors.emailInvalid' }).pipe(z.email({ error: 'errors.emailInvalid' }));
const password = z.string({ error: 'errors.passwordRequired' }).min(1, { error: 'errors.passwordRequired' }).max(MAX_PASSWORD_LENGTH, { error: 'auth.password.tooLong' });
const token = z.string({ error: 'account.token.invalid' }).regex(/^[a-z2-7]{20,64}$/, { error: 'account.token.invalid' });
const code = z.string({ error: 'account.twoFactor.codeRequired' }).trim().min(6, { error: 'account.twoFactor.codeRequired' }).max(20, { error: 'account.twoFactor.invalid' });

// How each refusal of the account domain reads (src/server/errors.ts: a new one in its union is a type error here).
const SET_PASSWORD: Refusals<Failure<Awaited<ReturnType<typeof setPasswordWithToken>>>> = {
  ...WEAK_PASSWORD,
  invalidToken: ['invalid', 'account.token.invalid'],
};
const VERIFY_CODE: Refusals<Failure<Awaited<ReturnType<typeof verifySecondFactor>>>> = { throttled: ['tooMany', 'account.twoFactor.throttled'], invalidCode: ['invalid', 'account.twoFactor.invalid'] };
const ENROL: Refusals<Failure<EnrolResult>> = {
  expired: ['invalid', 'account.twoFactor.expired'],
  invalidCode: ['invalid', 'account.twoFactor.invalid'],
  unverifiedSession: ['forbidden', 'errors.secondFactorPending'],
  currentCodeRequired: ['invalid', 'account.twoFactor.currentRequired'],
  currentCodeInvalid: ['invalid', 'account.twoFactor.currentInvalid'],
  throttled: ['tooMany', 'account.twoFactor.throttled'],
};
const ERASE: Refusals<Failure<Awaited<ReturnType<typeof eraseOwnAccount>>>> = { wrongPassword: ['invalid', 'auth.password.wrongCurrent'] };

const newPassword = z
  .object({ token, password, confirm: password })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'auth.password.mismatch' });

export const account = {
  forgotPassword: defineAction({
    accept: 'form',
    input: z.object({ email }),
    handler: async (input, context) => {
      await requestPasswordReset(getDb(), input.email, { origin: publicOrigin(), ip: context.locals.ip });
      deliverMailSoon();
      // The same answer whether or not the address has an account.
      return { sent: true };
    },
  }),

  resetPassword: defineAction({
    accept: 'form',
    input: newPassword,
    handler: domainHandler(async (input, context) => {
      const result = await setPasswordWithToken(getDb(), input.token, 'password_reset', input.password, { ip: context.locals.ip });
      if (!result.ok) throw refusal(SET_PASSWORD, result.error);
      deleteSessionTokenCookie(context.cookies, context.url);
      return { done: true };
    }),
  }),

  acceptInvitation: defineAction({
    accept: 'form',
    input: newPassword,
    handler: domainHandler(async (input, context) => {
      const result = await setPasswordWithToken(getDb(), input.token, 'invitation', input.password, { ip: context.locals.ip });
      if (!result.ok) throw refusal(SET_PASSWORD, result.error);
      deleteSessionTokenCookie(context.cookies, context.url);
      return { email: result.email };
    }),
  }),

  verifyTwoFactor: defineAction({
    accept: 'form',
    input: z.object({ code }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const result = await verifySecondFactor(getDb(), user, input.code, { sessionId: context.locals.session!.id, ip: context.locals.ip });
      if (!result.ok) throw refusal(VERIFY_CODE, result.error);
      return { usedRecoveryCode: result.usedRecoveryCode };
    }),
  }),

  enrolTwoFactor: defineAction({
    accept: 'form',
    input: z.object({ code, current: code.optional() }),
    handler: domainHandler(async (input, context) => {
      const user = authorize(context, 'account.twoFactor');
      // The key being enrolled is the one the setup page kept on this session's row (src/server/auth/two-factor.ts).
      const result = await enrolTotp(getDb(), { userId: user.id, sessionId: context.locals.session!.id, code: input.code, currentCode: input.current, ip: context.locals.ip });
      if (!result.ok) throw refusal(ENROL, result.error);
      return { recoveryCodes: result.recoveryCodes };
    }),
  }),

  changeName: defineAction({
    accept: 'form',
    input: z.object({ name: personNameField }),
    handler: async (input, context) => {
      const user = requireUser(context);
      // 'account.rename' is asked by the domain; issued certificates keep their name until a correction is approved.
      return asAction(() => changeOwnName(getDb(), user, input.name, { ip: context.locals.ip }));
    },
  }),

  updateProfile: defineAction({
    accept: 'form',
    input: z.object({ position: positionField, sex: sexField }),
    handler: async (input, context) => {
      const user = requireUser(context);
      return asAction(() => updateOwnProfile(getDb(), user, input, { ip: context.locals.ip }));
    },
  }),

  eraseAccount: defineAction({
    accept: 'form',
    input: z.object({ password, confirm: z.literal('on', { error: 'account.erase.confirmRequired' }) }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const result = await asAction(() => eraseOwnAccount(getDb(), user, input.password, context.locals.ip));
      if (!result.ok) throw refusal(ERASE, result.error);
      deleteSessionTokenCookie(context.cookies, context.url);
      return { erased: true };
    }),
  }),
};
