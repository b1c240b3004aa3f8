// A workshop's roster from a file: the administration's import (src/server/admin/import.ts) with two differences.
// Rows with errors are shown in the preview and skipped, not a reason to refuse the file; and a row whose address
// already has an account that may join the workshop is not an error but a person to add. The new accounts, their
// invitations and the roster rows are written in the import's one transaction.
import type { Database } from '../../../db/client.ts';
import { auditValues } from '../audit.ts';
import { commitImport, createImportPreview, getImportPreview, insertRows, type CheckedRow, type ImportRow } from '../admin/import.ts';
import { emailKey } from '../auth/user.ts';
import { DomainError, notFound } from '../errors.ts';
import type { Actor } from '../policy.ts';
import { eligibleAccounts, planRosterAdditions, rosterUserIds } from './roster.ts';
import { authorizedWorkshop, refuseIfClosed, type WorkshopRow } from './workshops.ts';

/** new: an account will be created and invited; existing: the account joins; onRoster: already there; error: skipped. */
export type RosterRowStatus = 'new' | 'existing' | 'onRoster' | 'error';

export interface RosterPreviewRow extends CheckedRow {
  status: RosterRowStatus;
}

export interface RosterImportPreview {
  batchId: number;
  workshopId: number;
  fileName: string;
  committed: boolean;
  rows: RosterPreviewRow[];
  counts: Record<RosterRowStatus, number>;
  /** Places left on the roster before this import. */
  placesLeft: number;
  alreadyImported: boolean;
}

async function importableWorkshop(db: Database, actor: Actor, workshopId: number): Promise<WorkshopRow & { countryCode: string }> {
  const workshop = await authorizedWorkshop(db, actor, 'workshop.manage', workshopId);
  refuseIfClosed(workshop);
  // New accounts belong to a country and its institutions: a regional workshop adds existing accounts only.
  if (workshop.countryCode === null) throw new DomainError('invalid', 'workshops.import.regional');
  return workshop as WorkshopRow & { countryCode: string };
}

const onlyExists = (row: CheckedRow) => row.errors.length === 1 && row.errors[0] === 'admin.import.error.existsInDatabase';

/** Sorts the checked rows into what the commit will do with each. */
async function classify(db: Database, workshop: WorkshopRow, rows: CheckedRow[]) {
  const candidates = rows.filter(onlyExists).map((r) => emailKey(r.email));
  const accounts = new Map((await eligibleAccounts(db, workshop, candidates)).map((a) => [a.emailKey, a.id]));
  const onRoster = await rosterUserIds(db, workshop.id);
  const classified: RosterPreviewRow[] = rows.map((row) => {
    if (row.errors.length === 0) return { ...row, status: 'new' };
    const id = onlyExists(row) ? accounts.get(emailKey(row.email)) : undefined;
    if (id === undefined) return { ...row, status: 'error' };
    return { ...row, errors: [], status: onRoster.has(id) ? 'onRoster' : 'existing' };
  });
  return { classified, accounts, onRoster };
}

function countStatuses(rows: RosterPreviewRow[]): Record<RosterRowStatus, number> {
  const counts: Record<RosterRowStatus, number> = { new: 0, existing: 0, onRoster: 0, error: 0 };
  for (const row of rows) counts[row.status]++;
  return counts;
}

/** Stages a parsed file for a workshop's roster; nothing but the staging row is written. */
export async function stageRosterImport(db: Database, actor: Actor, workshopId: number, file: { fileName: string; rows: ImportRow[] }): Promise<{ batchId: number }> {
  const workshop = await importableWorkshop(db, actor, workshopId);
  const preview = await createImportPreview(db, actor, { countryCode: workshop.countryCode, fileName: file.fileName, rows: file.rows, workshopId });
  return { batchId: preview.batchId };
}

export async function getRosterImportPreview(db: Database, actor: Actor, workshopId: number, batchId: number): Promise<RosterImportPreview> {
  const workshop = await authorizedWorkshop(db, actor, 'workshop.view', workshopId);
  const preview = await getImportPreview(db, actor, batchId);
  if (preview.workshopId !== workshopId) throw notFound(`import ${batchId} of workshop ${workshopId}`);
  const { classified, onRoster } = await classify(db, workshop, preview.rows);
  return {
    batchId,
    workshopId,
    fileName: preview.fileName,
    committed: preview.status === 'committed',
    rows: classified,
    counts: countStatuses(classified),
    placesLeft: Math.max(0, workshop.capacity - onRoster.size),
    alreadyImported: preview.alreadyImported !== null,
  };
}

export interface RosterImportResult {
  created: number;
  added: number;
  alreadyImported: boolean;
}

/** Creates and invites the new people, and puts them and the existing accounts on the roster, all or nothing. */
export async function commitRosterImport(db: Database, actor: Actor & { name: string }, workshopId: number, batchId: number, options: { origin: string; ip?: string | null; now?: number }): Promise<RosterImportResult> {
  const workshop = await importableWorkshop(db, actor, workshopId);
  const preview = await getImportPreview(db, actor, batchId);
  if (preview.workshopId !== workshopId) throw notFound(`import ${batchId} of workshop ${workshopId}`);
  const { accounts } = await classify(db, workshop, preview.rows);
  let added = 0;
  const result = await commitImport(db, actor, batchId, {
    origin: options.origin,
    ip: options.ip,
    now: options.now,
    skipInvalid: true,
    withinCommit: async (tx, imported, now) => {
      const onRoster = new Set((await tx.execute({ sql: 'SELECT user_id FROM workshop_participants WHERE workshop_id = ?', args: [workshopId] })).rows.map((r) => Number(r.user_id)));
      const plan = planRosterAdditions(workshop, onRoster, [...imported.created.values(), ...accounts.values()], { id: actor.id, ip: options.ip, via: 'import' }, now);
      if (plan.participants.length > 0) {
        await insertRows(tx, 'workshop_participants', ['workshop_id', 'user_id', 'added_by', 'added_at'], plan.participants.map((p) => [p.workshopId, p.userId, p.addedBy, p.addedAt]));
      }
      if (plan.audits.length > 0) {
        const rows = plan.audits.map((entry) => auditValues(entry, now));
        await insertRows(tx, 'audit_log', Object.keys(rows[0]!), rows.map((r) => Object.values(r)));
      }
      added = plan.participants.length;
    },
  });
  if (!result.ok) throw new DomainError('conflict', 'admin.import.fixErrorsFirst');
  return { created: result.alreadyImported ? 0 : result.created, added, alreadyImported: result.alreadyImported };
}
