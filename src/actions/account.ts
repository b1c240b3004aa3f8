// Account Actions around e-mail links, the second factor and privacy.
import { ActionError, defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { deliverMailSoon, publicOrigin } from '../app/admin.ts';
import { asAction } from '../app/domain-error.ts';
import { getDb } from '../app/db.ts';
import { requireUser } from '../app/guard.ts';
import { deleteSessionTokenCookie } from '../app/session-cookie.ts';
import { MAX_PASSWORD_LENGTH } from '../server/auth/password.ts';
import { requestPasswordReset, setPasswordWithToken } from '../server/auth/password-reset.ts';
import { enrolTotp, verifySecondFactor, type EnrolResult } from '../server/auth/two-factor.ts';
import { can } from '../server/policy.ts';
import { eraseOwnAccount } from '../server/privacy.ts';
import { changeOwnName } from '../server/account-name.ts';
import { personNameField } from '../app/person-name-field.ts';
import { positionField, sexField } from '../app/profile-fields.ts';
import { updateOwnProfile } from '../server/profile.ts';

const email = z.string({ error: 'errors.emailInvalid' }).trim().max(254, { error: 'errors.emailInvalid' }).pipe(z.email({ error: 'errors.emailInvalid' }));
const password = z.string({ error: 'errors.passwordRequired' }).min(1, { error: 'errors.passwordRequired' }).max(MAX_PASSWORD_LENGTH, { error: 'auth.password.too_long' });
const token = z.string({ error: 'account.token.invalid' }).regex(/^[a-z2-7]{20,64}$/, { error: 'account.token.invalid' });
const code = z.string({ error: 'account.twoFactor.codeRequired' }).trim().min(6, { error: 'account.twoFactor.codeRequired' }).max(20, { error: 'account.twoFactor.invalid' });

const passwordErrors = {
  too_short: 'auth.password.too_short',
  too_long: 'auth.password.too_long',
  too_common: 'auth.password.too_common',
  contains_email: 'auth.password.contains_email',
  invalid_token: 'account.token.invalid',
} as const;

const ENROL_ERRORS: Record<Extract<EnrolResult, { ok: false }>['error'], { code: 'BAD_REQUEST' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS'; message: string }> = {
  expired: { code: 'BAD_REQUEST', message: 'account.twoFactor.expired' },
  invalid_code: { code: 'BAD_REQUEST', message: 'account.twoFactor.invalid' },
  unverified_session: { code: 'FORBIDDEN', message: 'errors.secondFactorPending' },
  current_code_required: { code: 'BAD_REQUEST', message: 'account.twoFactor.currentRequired' },
  current_code_invalid: { code: 'BAD_REQUEST', message: 'account.twoFactor.currentInvalid' },
  throttled: { code: 'TOO_MANY_REQUESTS', message: 'account.twoFactor.throttled' },
};

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
    handler: async (input, context) => {
      const result = await setPasswordWithToken(getDb(), input.token, 'password_reset', input.password, { ip: context.locals.ip });
      if (!result.ok) throw new ActionError({ code: 'BAD_REQUEST', message: passwordErrors[result.error] });
      deleteSessionTokenCookie(context.cookies, context.url);
      return { done: true };
    },
  }),

  acceptInvitation: defineAction({
    accept: 'form',
    input: newPassword,
    handler: async (input, context) => {
      const result = await setPasswordWithToken(getDb(), input.token, 'invitation', input.password, { ip: context.locals.ip });
      if (!result.ok) throw new ActionError({ code: 'BAD_REQUEST', message: passwordErrors[result.error] });
      deleteSessionTokenCookie(context.cookies, context.url);
      return { email: result.email };
    },
  }),

  verifyTwoFactor: defineAction({
    accept: 'form',
    input: z.object({ code }),
    handler: async (input, context) => {
      const user = requireUser(context);
      const result = await verifySecondFactor(getDb(), user, input.code, { sessionId: context.locals.session!.id, ip: context.locals.ip });
      if (!result.ok) {
        if (result.error === 'throttled') throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: 'account.twoFactor.throttled' });
        throw new ActionError({ code: 'BAD_REQUEST', message: 'account.twoFactor.invalid' });
      }
      return { usedRecoveryCode: result.usedRecoveryCode };
    },
  }),

  enrolTwoFactor: defineAction({
    accept: 'form',
    input: z.object({ code, current: code.optional() }),
    handler: async (input, context) => {
      const user = requireUser(context);
      if (!can(user, 'account.twoFactor')) throw new ActionError({ code: 'FORBIDDEN', message: 'errors.forbidden' });
      // The key being enrolled is the one the setup page kept on this session's row (src/server/auth/two-factor.ts).
      const result = await enrolTotp(getDb(), { userId: user.id, sessionId: context.locals.session!.id, code: input.code, currentCode: input.current, ip: context.locals.ip });
      if (!result.ok) throw new ActionError(ENROL_ERRORS[result.error]);
      return { recoveryCodes: result.recoveryCodes };
    },
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
    handler: async (input, context) => {
      const user = requireUser(context);
      const result = await asAction(() => eraseOwnAccount(getDb(), user, input.password, context.locals.ip));
      if (!result.ok) throw new ActionError({ code: 'BAD_REQUEST', message: 'auth.password.wrongCurrent' });
      deleteSessionTokenCookie(context.cookies, context.url);
      return { erased: true };
    },
  }),
};
