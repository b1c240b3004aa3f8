import { defineAction } from 'astro:actions';
import { z } from 'astro/zod';
import { getDb } from '../app/db.ts';
import { domainHandler } from '../app/domain-error.ts';
import { refusal, type Failure, type Refusals } from '../server/errors.ts';
import { requireUser } from '../app/guard.ts';
import { deleteSessionTokenCookie, setSessionTokenCookie } from '../app/session-cookie.ts';
import { createSession, generateSessionToken, invalidateOtherSessions, invalidateSession } from '../server/auth/session.ts';
import { changePassword, setPreferredLocale, signInWithPassword } from '../server/auth/user.ts';
import { confirmEmailAddress, registerUser, resendVerification } from '../server/auth/registration.ts';
import { deliverMailSoon, publicOrigin, twoFactorRequiredFor } from '../app/admin.ts';
import { recordAudit } from '../server/audit.ts';
import { MAX_PASSWORD_LENGTH, WEAK_PASSWORD } from '../server/auth/password.ts';
import { landingPath, safeReturnPath } from '../server/auth/return-path.ts';
import type { ActionAPIContext } from 'astro:actions';
import { personNameField } from '../app/person-name-field.ts';
import { positionField, sexField } from '../app/profile-fields.ts';

const email = z.string({ error: 'errors.emailInvalid' }).trim().max(254, { error: 'errors.emailInvalid' }).pipe(z.email({ error: 'errors.emailInvalid' }));
const password = z.string({ error: 'errors.passwordRequired' }).min(1, { error: 'errors.passwordRequired' }).max(MAX_PASSWORD_LENGTH, { error: 'auth.password.tooLong' });
const locale = z.enum(['es', 'en'], { error: 'errors.invalidInput' });

// How each refusal of the auth domain reads (src/server/errors.ts: a new one in its union is a type error here).
// An unconfirmed address reads as a wrong password (see SignInResult).
const SIGN_IN: Refusals<Failure<Awaited<ReturnType<typeof signInWithPassword>>>> = { throttled: ['tooMany', 'auth.error.throttled'], invalid: ['unauthorized', 'auth.error.invalid'], unverified: ['unauthorized', 'auth.error.invalid'] };
const REGISTER: Refusals<Failure<Awaited<ReturnType<typeof registerUser>>>> = { ...WEAK_PASSWORD, throttled: ['tooMany', 'auth.error.registerThrottled'], unknownInstitution: ['invalid', 'errors.institutionRequired'] };
const CONFIRM: Refusals<Failure<Awaited<ReturnType<typeof confirmEmailAddress>>>> = { throttled: ['tooMany', 'auth.error.throttled'], wrongPassword: ['invalid', 'auth.confirm.wrongPassword'], invalidToken: ['invalid', 'account.token.invalid'] };
const CHANGE_PASSWORD: Refusals<Failure<Awaited<ReturnType<typeof changePassword>>>> = { ...WEAK_PASSWORD, wrongPassword: ['invalid', 'auth.password.wrongCurrent'] };

async function startSession(context: ActionAPIContext, userId: number) {
  const token = generateSessionToken();
  const session = await createSession(getDb(), token, userId, { ip: context.locals.ip, userAgent: context.request.headers.get('user-agent') });
  setSessionTokenCookie(context.cookies, context.url, token, session.expiresAt);
}

export const auth = {
  signIn: defineAction({
    accept: 'form',
    // `next`: where the page that asked for a sign-in wants the person back; anything but a path of this site is ignored.
    input: z.object({ email, password, next: z.string().max(2048).optional() }),
    handler: domainHandler(async (input, context) => {
      const result = await signInWithPassword(getDb(), input.email, input.password, context.locals.ip);
      if (!result.ok) {
        if (result.error === 'unverified') {
          // A fresh link goes to the address (once a minute); the answer is the wrong-password one (see SignInResult).
          await resendVerification(getDb(), result.user, publicOrigin());
          deliverMailSoon();
        }
        throw refusal(SIGN_IN, result.error);
      }
      // A new session at every sign-in: a session id fixed before sign-in is never promoted.
      if (context.locals.session) await invalidateSession(getDb(), context.locals.session.id);
      await startSession(context, result.user.id);
      // With a second factor enrolled (or required for the role) the next stop is the code, not the app.
      const back = safeReturnPath(input.next);
      const { locale } = result.user;
      if (result.user.totpKey) return { locale, to: `/${locale}/two-factor${back ? `?next=${encodeURIComponent(back)}` : ''}` };
      if (twoFactorRequiredFor(result.user.role)) return { locale, to: `/${locale}/two-factor/setup` };
      return { locale, to: back ?? `/${locale}${landingPath(result.user.role)}` };
    }),
  }),

  register: defineAction({
    accept: 'form',
    input: z
      .object({
        name: personNameField,
        email,
        password,
        country: z.string({ error: 'errors.countryRequired' }).regex(/^[A-Z]{2}$/, { error: 'errors.countryRequired' }),
        kind: z.enum(['official', 'journalist'], { error: 'errors.kindRequired' }),
        institution: z.coerce.number({ error: 'errors.institutionRequired' }).int().positive({ error: 'errors.institutionRequired' }).optional(),
        mediaOutlet: z.string().trim().max(160, { error: 'errors.outletTooLong' }).optional(),
        position: positionField,
        sex: sexField,
        locale,
      })
      .superRefine((value, ctx) => {
        if (value.kind === 'official' && !value.institution) ctx.addIssue({ code: 'custom', path: ['institution'], message: 'errors.institutionRequired' });
        if (value.kind === 'journalist' && !value.mediaOutlet) ctx.addIssue({ code: 'custom', path: ['mediaOutlet'], message: 'errors.outletRequired' });
      }),
    handler: domainHandler(async (input, context) => {
      const result = await registerUser(
        getDb(),
        {
          name: input.name,
          email: input.email,
          password: input.password,
          countryCode: input.country,
          kind: input.kind,
          institutionId: input.institution,
          mediaOutlet: input.mediaOutlet,
          position: input.position,
          sex: input.sex,
          locale: input.locale,
        },
        { origin: publicOrigin(), ip: context.locals.ip },
      );
      if (!result.ok) throw refusal(REGISTER, result.error);
      deliverMailSoon();
      // The same answer for a new address and for one that has an account (its owner got an e-mail): no session yet.
      return { sent: true, email: input.email };
    }),
  }),

  confirmEmail: defineAction({
    accept: 'form',
    input: z.object({ token: z.string({ error: 'account.token.invalid' }).regex(/^[a-z2-7]{20,64}$/, { error: 'account.token.invalid' }), password }),
    handler: domainHandler(async (input, context) => {
      const result = await confirmEmailAddress(getDb(), input.token, input.password, { ip: context.locals.ip });
      if (!result.ok) throw refusal(CONFIRM, result.error);
      return { locale: result.locale };
    }),
  }),

  signOut: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      if (context.locals.session) {
        await invalidateSession(getDb(), context.locals.session.id);
        await recordAudit(getDb(), { actorId: context.locals.user?.id ?? null, action: 'auth.signout', ip: context.locals.ip });
      }
      deleteSessionTokenCookie(context.cookies, context.url);
      return { signedOut: true };
    },
  }),

  signOutEverywhereElse: defineAction({
    accept: 'form',
    handler: async (_input, context) => {
      const user = requireUser(context);
      await invalidateOtherSessions(getDb(), user.id, context.locals.session!.id);
      await recordAudit(getDb(), { actorId: user.id, action: 'auth.signout.others', targetType: 'user', targetId: user.id, countryCode: user.countryCode, ip: context.locals.ip });
      return { done: true };
    },
  }),

  changePassword: defineAction({
    accept: 'form',
    input: z
      .object({ current: password, next: password, confirm: password })
      .refine((v) => v.next === v.confirm, { path: ['confirm'], message: 'auth.password.mismatch' }),
    handler: domainHandler(async (input, context) => {
      const user = requireUser(context);
      const result = await changePassword(getDb(), user.id, input.current, input.next, context.locals.session!.id, context.locals.ip);
      if (!result.ok) throw refusal(CHANGE_PASSWORD, result.error);
      return { changed: true };
    }),
  }),

  setLocale: defineAction({
    accept: 'form',
    input: z.object({ locale }),
    handler: async (input, context) => {
      const user = requireUser(context);
      await setPreferredLocale(getDb(), user.id, input.locale);
      return { locale: input.locale };
    },
  }),
};
