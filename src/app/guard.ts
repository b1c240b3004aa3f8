// How Actions and endpoints ask the policy module: one call that answers 401/403 with a translatable message.
import { ActionError, type ActionAPIContext } from 'astro:actions';
import { can, type Action, type Actor, type Scope } from '../server/policy.ts';
import type { SessionUser } from '../server/auth/session.ts';

type Context = Pick<ActionAPIContext, 'locals'>;

export function requireUser(context: Context): SessionUser {
  const user = context.locals.user;
  if (!user) throw new ActionError({ code: 'UNAUTHORIZED', message: 'errors.signInRequired' });
  return user;
}

export function authorize(context: Context, action: Action, scope: Scope = 'region'): SessionUser & Actor {
  const user = requireUser(context);
  if (!can(user, action, scope)) throw new ActionError({ code: 'FORBIDDEN', message: 'errors.forbidden' });
  return user;
}

/** For endpoints (not Actions): the same decision as a Response, or null when allowed. */
export function denyUnlessAllowed(locals: App.Locals, action: Action, scope: Scope = 'region'): Response | null {
  if (!locals.user) return Response.json({ error: 'errors.signInRequired' }, { status: 401 });
  if (!can(locals.user, action, scope)) return Response.json({ error: 'errors.forbidden' }, { status: 403 });
  return null;
}
