// The face of the workshops domain: what pages, Actions and other domains (dashboards, QR check-in) may call.
// Tables: db/schema.ts (workshops, workshop_institutions, workshop_sessions, workshop_participants,
// workshop_attendance); the model and what the dashboards may rely on: docs/WORKSHOPS.md.

export { isCalendarDay, isLateAddition, tallyAttendance, type AttendanceTally } from './rules.ts';
export {
  authorizedWorkshop,
  createWorkshop,
  listWorkshops,
  loadInvitedInstitutions,
  loadSessions,
  loadWorkshop,
  markWorkshopHeld,
  MAX_CAPACITY,
  MAX_SESSIONS,
  updateWorkshop,
  type SessionInput,
  type WorkshopFilter,
  type WorkshopInput,
  type WorkshopListRow,
  type WorkshopRow,
  type WorkshopSession,
} from './workshops.ts';
export { addParticipants, loadRoster, MAX_ADD_AT_ONCE, removeParticipant, type AddResult, type RemoveResult, type RosterRow } from './roster.ts';
export { commitRosterImport, getRosterImportPreview, stageRosterImport, type RosterImportPreview, type RosterImportResult, type RosterPreviewRow, type RosterRowStatus } from './roster-import.ts';
export { CLIENT_ID, loadAttendanceSheet, loadSessionTotals, applyQueuedMark, recordAttendance, recordSessionAttendance, type AttendanceInput, type AttendanceOutcome, type AttendanceSheet, type QueuedMark, type QueuedMarkResult, type SheetRow, type SheetTotals } from './attendance.ts';
export { closeWorkshop, loadWorkshopCertificates, type CloseResult, type CreditOutcome } from './credit.ts';
export { listOwnWorkshops, type OwnWorkshop } from './own.ts';
