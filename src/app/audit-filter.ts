// The audit log's filters, read from a query string (the page and its CSV export share them).
import type { AuditFilter } from '../server/audit.ts';

export function auditFilterFromQuery(params: URLSearchParams): AuditFilter {
  const date = (name: string, endOfDay: boolean) => {
    const value = params.get(name);
    if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
    const d = new Date(`${value}T${endOfDay ? '23:59:59.999' : '00:00:00'}Z`);
    return Number.isNaN(d.getTime()) ? null : d;
  };
  const country = params.get('country');
  return {
    action: params.get('action')?.slice(0, 60) || null,
    actorEmail: params.get('actor')?.slice(0, 254) || null,
    targetId: params.get('target')?.slice(0, 60) || null,
    countryCode: country && /^[A-Z]{2}$/.test(country) ? country : null,
    from: date('from', false),
    to: date('to', true),
    beforeId: Number(params.get('before')) || null,
  };
}
