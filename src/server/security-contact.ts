// Where a security researcher reports a weakness (docs/SECURITY.md "Reporting a vulnerability"): an e-mail address each
// deployment sets in SECURITY_CONTACT, published on the privacy page. A value that is not an address is refused rather
// than printed, so a typo never sends reports to a stranger's domain or shows a broken link.
//
// Plain TypeScript without imports, like public-origin.ts.

export type SecurityContact = { address: string; mailto: string } | null;

/** The subject docs/SECURITY.md asks reporters to use, the same in every language so the operator can filter on it. */
export const SECURITY_REPORT_SUBJECT = 'Capacita security';

// One "local@domain.tld" with no spaces, commas or URL syntax: enough to refuse a URL, a list or a display name.
const ADDRESS = /^[^\s@,;<>()"'?&#/:]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

/** SECURITY_CONTACT read: null when unset; an error naming the variable when set to something that is not an address. */
export function resolveSecurityContact(value: string | undefined): SecurityContact {
  const address = value?.trim();
  if (!address) return null;
  if (!ADDRESS.test(address)) throw new Error(`SECURITY_CONTACT must be one e-mail address, e.g. SECURITY_CONTACT=seguridad@capacita.example.org (got "${value}").`);
  return { address, mailto: `mailto:${address}?subject=${encodeURIComponent(SECURITY_REPORT_SUBJECT)}` };
}
