// Helpers the administration pages share.
import { countryScope, type Action, type Actor } from '../server/policy.ts';

/**
 * The country a page works on: a committee member's own; for regional roles the `country` query parameter (or the
 * fallback). Null when the actor may not use the action at all.
 */
export function pageCountry(actor: Actor | null, action: Action, url: URL, fallback: string | null = null): { allowed: boolean; regional: boolean; country: string | null } {
  const scope = countryScope(actor, action);
  if (scope.kind === 'none') return { allowed: false, regional: false, country: null };
  if (scope.kind === 'country') return { allowed: true, regional: false, country: scope.countryCode };
  const requested = url.searchParams.get('country');
  return { allowed: true, regional: true, country: requested && /^[A-Z]{2}$/.test(requested) ? requested : fallback };
}
