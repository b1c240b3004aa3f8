// The face of the reminders domain (issue 15): the scheduler and its background worker, consent and unsubscribe.
export { runReminders, REFRESHER_STAGES, STALLED_AFTER_DAYS, STALLED_AGAIN_AFTER_DAYS, QUIZ_RETRY_WINDOW_DAYS, type ReminderCatalog, type ReminderCourse, type ReminderRunStats } from './scheduler.ts';
export { startReminderWorker, REMINDERS_INTERVAL_MS, type ReminderWorker } from './worker.ts';
export { isReminderKind, optedOutKinds, optOut, setReminderPreferences, unsubscribeUrl, verifyUnsubscribe, type UnsubscribeRequest } from './consent.ts';
export { localDate, daysBetween } from './local-day.ts';
export { previewCommitteeMessage, sendCommitteeMessage, COMMITTEE_MESSAGE_GAP_DAYS, COMMITTEE_SENDS_PER_DAY, type CommitteePreview } from './committee.ts';
