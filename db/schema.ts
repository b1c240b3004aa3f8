// The data model of Capacita. Courses and programmes are content (files under content/), so tables refer to them by
// their string ids. Country and institution are copied onto enrolments and certificates at the moment they happen:
// dashboards aggregate over millions of rows by those columns without joining users, and a person who later moves to
// another institution does not rewrite the history of the one that trained them.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const ROLES = ['learner', 'specialist', 'journalist', 'committee', 'coordinator', 'observer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The answers to the optional "sex" question of the profile. */
export const SEXES = ['female', 'male', 'undisclosed'] as const;
export type Sex = (typeof SEXES)[number];

export const SPECIALIST_STATUSES = ['none', 'requested', 'approved', 'rejected'] as const;
export type SpecialistStatus = (typeof SPECIALIST_STATUSES)[number];

export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const PROGRAMMES = ['basico', 'actualizacion', 'especializado', 'autocuidado', 'medios'] as const;
export type ProgrammeId = (typeof PROGRAMMES)[number];

export const COMPLETED_VIA = ['online', 'workshop'] as const;
export const DELIVERY_MODES = ['online', 'in_person'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const countries = sqliteTable('countries', {
  code: text('code').primaryKey(), // ISO 3166-1 alpha-2
  nameEs: text('name_es').notNull(),
  nameEn: text('name_en').notNull(),
  member: integer('member', { mode: 'boolean' }).notNull().default(true),
  /** IANA time zone: "the day a certificate lapses" is this country's calendar day (src/server/reminders/). */
  timeZone: text('time_zone').notNull().default('UTC'),
});

export const nationalBodies = sqliteTable('national_bodies', {
  countryCode: text('country_code')
    .primaryKey()
    .references(() => countries.code),
  kind: text('kind', { enum: ['committee', 'commission', 'coalition', 'council'] }).notNull(),
  acronym: text('acronym'),
  nameEs: text('name_es').notNull(),
  nameEn: text('name_en').notNull(),
  // Hotlines and referral contacts are edited by each committee, never written into lessons (FACTS.md §6).
  hotline: text('hotline'),
  referralContact: text('referral_contact'),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
});

export const sectors = sqliteTable('sectors', {
  code: text('code').primaryKey(),
  nameEs: text('name_es').notNull(),
  nameEn: text('name_en').notNull(),
  sortOrder: integer('sort_order').notNull().default(0),
});

export const institutions = sqliteTable(
  'institutions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    countryCode: text('country_code')
      .notNull()
      .references(() => countries.code),
    sectorCode: text('sector_code')
      .notNull()
      .references(() => sectors.code),
    name: text('name').notNull(),
    acronym: text('acronym'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('institutions_country_name_uq').on(t.countryCode, t.name),
    index('institutions_country_sector_idx').on(t.countryCode, t.sectorCode),
  ],
);

/** How many people of an institution should hold a valid certificate of a programme (the coverage denominator). */
export const institutionTargets = sqliteTable(
  'institution_targets',
  {
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
    programme: text('programme', { enum: PROGRAMMES }).notNull(),
    target: integer('target').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }),
  },
  (t) => [primaryKey({ columns: [t.institutionId, t.programme] })],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    // Lower-cased, trimmed e-mail: the unique key, so Ana@X and ana@x are one account.
    emailKey: text('email_key').notNull(),
    passwordHash: text('password_hash'),
    role: text('role', { enum: ROLES }).notNull().default('learner'),
    countryCode: text('country_code').references(() => countries.code),
    institutionId: integer('institution_id').references(() => institutions.id),
    mediaOutlet: text('media_outlet'),
    /** Position and duty station in the person's own words ("Inspectora, puesto fronterizo de Tecún Umán"), optional. */
    position: text('position'),
    /**
     * Optional, for committees' breakdowns only (docs/DASHBOARDS.md, privacy page): shown to nobody person by person,
     * counted in aggregates with small cells hidden. Null = not asked or not answered; 'undisclosed' = chose not to say.
     */
    sex: text('sex', { enum: SEXES }),
    locale: text('locale', { enum: LOCALES }).notNull().default('es'),
    specialistStatus: text('specialist_status', { enum: SPECIALIST_STATUSES }).notNull().default('none'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    totpKey: text('totp_key'),
    /** The 30-second step of the last TOTP code accepted: a code is good once (RFC 6238 §5.2). */
    totpLastStep: integer('totp_last_step'),
    /** False only for a self-registered account until its owner follows the e-mailed link; invitation proves the address. */
    emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(true),
    erasedAt: integer('erased_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_email_key_uq').on(t.emailKey),
    index('users_country_role_idx').on(t.countryCode, t.role),
    index('users_institution_idx').on(t.institutionId),
    // The committee's people list: one country, ordered by name, paged by (name, id).
    index('users_country_name_idx').on(t.countryCode, t.name, t.id),
    index('users_specialist_status_idx').on(t.specialistStatus, t.countryCode),
    // The dashboard's holders by sex look up tens of thousands of people by id for one column: read from this index,
    // not from their whole rows (src/server/reports/sex.ts).
    index('users_id_sex_idx').on(t.id, t.sex),
  ],
);

export const sessions = sqliteTable(
  'sessions',
  {
    // SHA-256 of the token in the cookie, hex: a stolen database does not yield usable cookies.
    id: text('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    twoFactorVerified: integer('two_factor_verified', { mode: 'boolean' }).notNull().default(false),
    /** A TOTP key being enrolled from this session, until its first code proves the app has it (never in a cookie). */
    pendingTotpKey: text('pending_totp_key'),
    pendingTotpExpiresAt: integer('pending_totp_expires_at', { mode: 'timestamp_ms' }),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Failed sign-in counters per IP and per account; in the database so throttling holds across app nodes. */
export const throttle = sqliteTable(
  'throttle',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull().default(0),
    lastFailureAt: integer('last_failure_at', { mode: 'timestamp_ms' }).notNull(),
    blockedUntil: integer('blocked_until', { mode: 'timestamp_ms' }).notNull().default(sql`0`),
  },
  (t) => [index('throttle_last_failure_idx').on(t.lastFailureAt)],
);

/**
 * When each background job (src/server/housekeeping.ts) may next run. A node takes a run by moving next_run_at
 * forward in one UPDATE … WHERE next_run_at <= now: with several app nodes, one of them runs each round.
 */
export const jobRuns = sqliteTable('job_runs', {
  name: text('name').primaryKey(),
  nextRunAt: integer('next_run_at', { mode: 'timestamp_ms' }).notNull(),
  lastRunAt: integer('last_run_at', { mode: 'timestamp_ms' }),
});

/** Single-use tokens sent by e-mail (password reset, invitation). Only the SHA-256 of the token is stored. */
export const emailTokens = sqliteTable(
  'email_tokens',
  {
    id: text('id').primaryKey(),
    purpose: text('purpose', { enum: ['password_reset', 'invitation', 'email_verification'] }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
    createdAt: createdAt(),
  },
  (t) => [index('email_tokens_user_idx').on(t.userId, t.purpose)],
);

export const enrolments = sqliteTable(
  'enrolments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    courseId: text('course_id').notNull(),
    programme: text('programme', { enum: PROGRAMMES }).notNull(),
    // A refresher is the same course taken again years later: each round is a new cycle, the old one stays as history.
    cycle: integer('cycle').notNull().default(1),
    countryCode: text('country_code').references(() => countries.code),
    institutionId: integer('institution_id').references(() => institutions.id),
    enrolledAt: integer('enrolled_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
    lastLesson: text('last_lesson'),
    /** The course version (course.yaml `version`) and its lesson list when the enrolment began: a lesson added by a
     * later version is not required of it (docs/LEARNING.md, "When a course changes"). Null before migration 0007. */
    courseVersion: text('course_version'),
    lessonsAtStart: text('lessons_at_start', { mode: 'json' }).$type<string[]>(),
    /** How the course was completed: 'workshop' when a closed workshop credited it (src/server/workshops/). */
    completedVia: text('completed_via', { enum: COMPLETED_VIA }).notNull().default('online'),
  },
  (t) => [
    uniqueIndex('enrolments_user_course_cycle_uq').on(t.userId, t.courseId, t.cycle),
    index('enrolments_country_course_idx').on(t.countryCode, t.courseId, t.completedAt),
    index('enrolments_institution_course_idx').on(t.institutionId, t.courseId),
    index('enrolments_course_completed_idx').on(t.courseId, t.completedAt),
    // Observers' semester figures read a semester's enrolments and completions across every country and course.
    index('enrolments_enrolled_idx').on(t.enrolledAt, t.countryCode, t.programme),
    index('enrolments_completed_idx').on(t.completedAt, t.countryCode, t.programme),
    // The few people who took a course again (refreshers): the funnel by mode counts them one by one (reports/modes.ts).
    index('enrolments_later_cycle_idx').on(t.userId).where(sql`cycle > 1`),
  ],
);

export const lessonProgress = sqliteTable(
  'lesson_progress',
  {
    enrolmentId: integer('enrolment_id')
      .notNull()
      .references(() => enrolments.id),
    lesson: text('lesson').notNull(),
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.enrolmentId, t.lesson] })],
);

export const quizAttempts = sqliteTable(
  'quiz_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    enrolmentId: integer('enrolment_id')
      .notNull()
      .references(() => enrolments.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    courseId: text('course_id').notNull(),
    // The questions drawn and the order their options were shown in: JSON, fixed when the attempt starts.
    paper: text('paper', { mode: 'json' }).notNull(),
    courseVersion: text('course_version'),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    deadlineAt: integer('deadline_at', { mode: 'timestamp_ms' }),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    score: real('score'),
    maxScore: real('max_score'),
    passed: integer('passed', { mode: 'boolean' }),
    /** True when time ran out before a submission: graded on the answers saved by the deadline. */
    late: integer('late', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    index('quiz_attempts_enrolment_idx').on(t.enrolmentId),
    index('quiz_attempts_course_submitted_idx').on(t.courseId, t.submittedAt),
  ],
);

/** Every answer given, kept for item analysis. */
export const quizResponses = sqliteTable(
  'quiz_responses',
  {
    attemptId: integer('attempt_id')
      .notNull()
      .references(() => quizAttempts.id),
    questionId: text('question_id').notNull(),
    /** Fingerprint of the question as it was asked (questionVersion in quiz/paper): a reworded question starts fresh figures. */
    questionVersion: text('question_version'),
    response: text('response', { mode: 'json' }).notNull(),
    score: real('score').notNull(),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.questionId] }), index('quiz_responses_question_idx').on(t.questionId)],
);

/**
 * The answers of an open attempt as the learner goes (autosave), one row per question of the paper, in the form's own
 * terms (positions on the paper). `seq` orders saves: an older save arriving late never overwrites a newer one.
 */
export const quizDrafts = sqliteTable(
  'quiz_drafts',
  {
    attemptId: integer('attempt_id')
      .notNull()
      .references(() => quizAttempts.id),
    /** The question's index on the paper (its form fields are q<index>…). */
    question: integer('question').notNull(),
    fields: text('fields', { mode: 'json' }).notNull().$type<Record<string, string[]>>(),
    seq: integer('seq').notNull(),
    savedAt: integer('saved_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.attemptId, t.question] })],
);

/** Extra minutes on a course's final quiz for one person, granted by their committee (audited). */
export const quizTimeExtensions = sqliteTable(
  'quiz_time_extensions',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    courseId: text('course_id').notNull(),
    minutes: integer('minutes').notNull(),
    grantedBy: integer('granted_by')
      .notNull()
      .references(() => users.id),
    grantedAt: integer('granted_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.courseId] })],
);

/**
 * The placement test for people trained elsewhere: a paper drawn from the Básico bank, graded on the server. A
 * passed attempt meets the Básico requirement of other courses; it is not an enrolment and issues no certificate.
 */
export const placementAttempts = sqliteTable(
  'placement_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /** The Básico course whose bank the paper was drawn from. */
    courseId: text('course_id').notNull(),
    paper: text('paper', { mode: 'json' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    deadlineAt: integer('deadline_at', { mode: 'timestamp_ms' }),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    score: real('score'),
    maxScore: real('max_score'),
    passed: integer('passed', { mode: 'boolean' }),
    /** The graded answers, per question in paper order, kept with the attempt. */
    responses: text('responses', { mode: 'json' }),
  },
  (t) => [
    index('placement_attempts_user_idx').on(t.userId),
    // One open attempt per person: a double "start" cannot draw two papers.
    uniqueIndex('placement_attempts_open_uq').on(t.userId).where(sql`submitted_at IS NULL`),
  ],
);

/** A learner's best and last result per interactive (H5P) activity. */
export const activityResults = sqliteTable(
  'activity_results',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    activityId: text('activity_id').notNull(),
    courseId: text('course_id'),
    bestScore: real('best_score').notNull(),
    lastScore: real('last_score').notNull(),
    maxScore: real('max_score').notNull(),
    completed: integer('completed', { mode: 'boolean' }).notNull().default(false),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.activityId] }), index('activity_results_activity_idx').on(t.activityId)],
);

/**
 * Every xAPI statement an interactive activity reported (top-level `answered` and `completed` only), as the platform
 * stored it: actor, id and timestamps are set by the server. Country and course are copied in for exports.
 */
export const xapiStatements = sqliteTable(
  'xapi_statements',
  {
    id: text('id').primaryKey(), // the statement's UUID
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    activityId: text('activity_id').notNull(),
    courseId: text('course_id'),
    courseVersion: text('course_version'),
    countryCode: text('country_code').references(() => countries.code),
    verb: text('verb', { enum: ['answered', 'completed'] }).notNull(),
    scoreRaw: real('score_raw'),
    scoreMax: real('score_max'),
    success: integer('success', { mode: 'boolean' }),
    statement: text('statement', { mode: 'json' }).notNull(),
    storedAt: integer('stored_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('xapi_statements_stored_idx').on(t.storedAt),
    index('xapi_statements_country_stored_idx').on(t.countryCode, t.storedAt),
    index('xapi_statements_course_stored_idx').on(t.courseId, t.storedAt),
    index('xapi_statements_user_activity_idx').on(t.userId, t.activityId),
  ],
);

/** Statements waiting to be sent to the external LRS (only filled when one is configured); retried with back-off. */
export const xapiForwardQueue = sqliteTable(
  'xapi_forward_queue',
  {
    statementId: text('statement_id')
      .primaryKey()
      .references(() => xapiStatements.id),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lastError: text('last_error'),
  },
  (t) => [index('xapi_forward_queue_next_idx').on(t.nextAttemptAt)],
);

/** Where a learner left an interactive activity (H5P "contentUserData" state), so it resumes there. */
export const activityState = sqliteTable(
  'activity_state',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    activityId: text('activity_id').notNull(),
    state: text('state').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.activityId] })],
);

/**
 * Progress a learner made offline and the browser sent later (src/server/offline/): one row per item, keyed by the id
 * the browser gave it, so an item sent twice (a lost answer, a second tab) is applied once and answered the same way.
 */
export const offlineSyncReceipts = sqliteTable(
  'offline_sync_receipts',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    clientId: text('client_id').notNull(),
    kind: text('kind', { enum: ['lessonDone', 'practice', 'activityAnswer', 'xapi', 'attendance'] }).notNull(),
    /** 'applied' or 'rejected'; a rejection keeps its reason (an i18n key) to explain it again on a repeat. */
    outcome: text('outcome', { enum: ['applied', 'rejected'] }).notNull(),
    reason: text('reason'),
    /** What the item answered (e.g. a knowledge check's grade), as JSON, to answer a repeat identically. */
    result: text('result'),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientId] })],
);

export const certificates = sqliteTable(
  'certificates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    enrolmentId: integer('enrolment_id').references(() => enrolments.id),
    courseId: text('course_id').notNull(),
    programme: text('programme', { enum: PROGRAMMES }).notNull(),
    courseVersion: text('course_version'),
    // The name as printed on the certificate; blanked when the holder's account is erased.
    holderName: text('holder_name').notNull(),
    countryCode: text('country_code').references(() => countries.code),
    institutionId: integer('institution_id').references(() => institutions.id),
    issuedAt: integer('issued_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
    revokedReason: text('revoked_reason'),
    /** 1 as issued; each approved correction re-issues it under the same code with the next revision. */
    revision: integer('revision').notNull().default(1),
    revisedAt: integer('revised_at', { mode: 'timestamp_ms' }),
    /** The course's workload (course.yaml `minutes`) in the version the certificate was earned under. */
    courseMinutes: integer('course_minutes'),
    /** 'in_person' for a certificate a closed workshop issued; the workshop it names (dates, hours) is workshop_id. */
    deliveryMode: text('delivery_mode', { enum: DELIVERY_MODES }).notNull().default('online'),
    workshopId: integer('workshop_id').references(() => workshops.id),
  },
  (t) => [
    uniqueIndex('certificates_code_uq').on(t.code),
    uniqueIndex('certificates_enrolment_uq').on(t.enrolmentId),
    index('certificates_user_programme_idx').on(t.userId, t.programme, t.expiresAt),
    index('certificates_country_programme_idx').on(t.countryCode, t.programme, t.expiresAt),
    index('certificates_institution_programme_idx').on(t.institutionId, t.programme, t.expiresAt),
    index('certificates_issued_idx').on(t.countryCode, t.issuedAt),
    // Coverage and refreshers at a past date (semester reports): covering, only the certificates that count.
    index('certificates_history_idx').on(t.countryCode, t.programme, t.institutionId, t.userId, t.issuedAt, t.expiresAt, t.revokedAt).where(sql`revoked_at IS NULL`),
    index('certificates_refresh_idx').on(t.countryCode, t.userId, t.programme, t.issuedAt, t.expiresAt, t.revokedAt).where(sql`revoked_at IS NULL`),
    // Observers' frozen semester figures (revoked-later certificates count): covering, per country, track and person.
    index('certificates_frozen_idx').on(t.countryCode, t.programme, t.userId, t.issuedAt, t.expiresAt, t.revokedAt),
  ],
);

/**
 * A holder asks for the name printed on a certificate to be corrected to their account's name; their committee
 * approves (the certificate is re-issued, same code, next revision) or rejects with a reason. One pending request per
 * certificate.
 */
export const NAME_CORRECTION_STATUSES = ['requested', 'approved', 'rejected'] as const;
export const certificateNameCorrections = sqliteTable(
  'certificate_name_corrections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    certificateId: integer('certificate_id')
      .notNull()
      .references(() => certificates.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    // The committee that decides: the holder's country when they asked.
    countryCode: text('country_code').references(() => countries.code),
    requestedName: text('requested_name').notNull(),
    status: text('status', { enum: NAME_CORRECTION_STATUSES }).notNull().default('requested'),
    requestedAt: integer('requested_at', { mode: 'timestamp_ms' }).notNull(),
    decidedAt: integer('decided_at', { mode: 'timestamp_ms' }),
    decidedBy: integer('decided_by').references(() => users.id),
    decisionReason: text('decision_reason'),
  },
  (t) => [
    uniqueIndex('certificate_name_corrections_pending_uq').on(t.certificateId).where(sql`status = 'requested'`),
    index('certificate_name_corrections_queue_idx').on(t.status, t.countryCode, t.requestedAt),
    index('certificate_name_corrections_certificate_idx').on(t.certificateId, t.decidedAt),
  ],
);

// ── Workshops ───────────────────────────────────────────────────────────────────────────────────────────────────
// In-person (or live online) training that counts as a course: a committee records it for its country, the
// coordinator for any country or the region (country_code null). Closing a workshop credits each participant who met
// its attendance rule with the equivalent course (src/server/workshops/).

export const WORKSHOP_MODES = ['in_person', 'online_live'] as const;
export type WorkshopMode = (typeof WORKSHOP_MODES)[number];
export const WORKSHOP_STATES = ['planned', 'held', 'closed'] as const;
export type WorkshopState = (typeof WORKSHOP_STATES)[number];

export const workshops = sqliteTable(
  'workshops',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Null only for a regional workshop the coordinator runs. */
    countryCode: text('country_code').references(() => countries.code),
    titleEs: text('title_es').notNull(),
    titleEn: text('title_en').notNull(),
    /** The course it counts as (content id, e.g. Básico's). */
    courseSlug: text('course_slug').notNull(),
    mode: text('mode', { enum: WORKSHOP_MODES }).notNull(),
    place: text('place').notNull(),
    facilitators: text('facilitators').notNull(),
    capacity: integer('capacity').notNull(),
    /** Calendar dates, YYYY-MM-DD. */
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on').notNull(),
    state: text('state', { enum: WORKSHOP_STATES }).notNull().default('planned'),
    attendanceRulePercent: integer('attendance_rule_percent').notNull().default(80),
    requiresPostTest: integer('requires_post_test', { mode: 'boolean' }).notNull().default(false),
    createdBy: integer('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    closedBy: integer('closed_by').references(() => users.id),
  },
  (t) => [index('workshops_country_starts_idx').on(t.countryCode, t.startsOn), index('workshops_state_idx').on(t.state, t.closedAt)],
);

/** Institutions invited to a workshop. */
export const workshopInstitutions = sqliteTable(
  'workshop_institutions',
  {
    workshopId: integer('workshop_id')
      .notNull()
      .references(() => workshops.id),
    institutionId: integer('institution_id')
      .notNull()
      .references(() => institutions.id),
  },
  (t) => [primaryKey({ columns: [t.workshopId, t.institutionId] })],
);

/** One row per day the workshop meets, with that day's hours (the attendance rule weighs days by hours). */
export const workshopSessions = sqliteTable(
  'workshop_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workshopId: integer('workshop_id')
      .notNull()
      .references(() => workshops.id),
    day: text('day').notNull(), // YYYY-MM-DD
    hours: real('hours').notNull(),
  },
  (t) => [uniqueIndex('workshop_sessions_day_uq').on(t.workshopId, t.day)],
);

export const workshopParticipants = sqliteTable(
  'workshop_participants',
  {
    workshopId: integer('workshop_id')
      .notNull()
      .references(() => workshops.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    addedBy: integer('added_by')
      .notNull()
      .references(() => users.id),
    addedAt: integer('added_at', { mode: 'timestamp_ms' }).notNull(),
    /** Set when the workshop closed and this person met its rule. */
    creditedAt: integer('credited_at', { mode: 'timestamp_ms' }),
  },
  (t) => [uniqueIndex('workshop_participants_uq').on(t.workshopId, t.userId), index('workshop_participants_user_idx').on(t.userId)],
);

/**
 * Presence per session day. client_id names the submission that wrote the row, so a form posted twice (or a queued
 * offline submission replayed) changes nothing; a correction updates the row and is audited.
 */
export const workshopAttendance = sqliteTable(
  'workshop_attendance',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => workshopSessions.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    present: integer('present', { mode: 'boolean' }).notNull(),
    recordedBy: integer('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: integer('recorded_at', { mode: 'timestamp_ms' }).notNull(),
    clientId: text('client_id').notNull(),
  },
  (t) => [uniqueIndex('workshop_attendance_uq').on(t.sessionId, t.userId), uniqueIndex('workshop_attendance_client_uq').on(t.clientId), index('workshop_attendance_user_idx').on(t.userId)],
);

/**
 * One random secret per purpose (e.g. 'checkin': the workshop check-in codes), made on first use. Kept in the
 * database so every app node signs and verifies with the same key without a setting to configure.
 */
export const signingKeys = sqliteTable('signing_keys', {
  purpose: text('purpose').primaryKey(),
  secret: text('secret').notNull(),
  createdAt: createdAt(),
});

/** Append-only from the application's point of view: there is no code path that updates or deletes a row. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    actorId: integer('actor_id').references(() => users.id),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    countryCode: text('country_code'),
    ip: text('ip'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_actor_idx').on(t.actorId, t.at), index('audit_log_action_idx').on(t.action, t.at)],
);

// ── Report summaries ────────────────────────────────────────────────────────────────────────────────────────────
// Small tables the dashboards read instead of scanning millions of rows. They are maintained in the SAME transaction
// as the event that changes them (src/server/reports/summary.ts: recordEnrolment, recordLessonStarted,
// recordCompletion, recordCertificateIssued, recordCertificateRevoked, recordQuizSubmitted) and can be rebuilt from
// the raw tables at any time (rebuildReportSummaries) — the demo generator does so after its bulk load.

/** Per institution, course and calendar month: the enrolment funnel of that month's cohort and that month's completions. */
export const reportCourseMonth = sqliteTable(
  'report_course_month',
  {
    countryCode: text('country_code').notNull(),
    institutionId: integer('institution_id').notNull(), // 0 when the person had no institution
    courseId: text('course_id').notNull(),
    programme: text('programme', { enum: PROGRAMMES }).notNull(),
    month: integer('month').notNull(), // yyyymm, UTC
    // Cohort figures: enrolments made in `month` and how far they got.
    enrolled: integer('enrolled').notNull().default(0),
    started: integer('started').notNull().default(0),
    completed: integer('completed').notNull().default(0),
    certified: integer('certified').notNull().default(0),
    // Calendar figures: completions that happened in `month`.
    completions: integer('completions').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.countryCode, t.institutionId, t.courseId, t.month] }),
    index('report_course_month_course_idx').on(t.courseId, t.month),
    index('report_course_month_programme_idx').on(t.programme, t.month),
    // Covering: a country's months (the region's country by country) without reading the rows.
    index('report_course_month_country_idx').on(t.countryCode, t.month, t.courseId, t.institutionId, t.programme, t.enrolled, t.started, t.completed, t.certified, t.completions),
  ],
);

/**
 * report_course_month summed over every month, per country, course and institution: the funnels without a period.
 * Kept equal to the month rows by triggers on report_course_month (migration 0019); WITHOUT ROWID in SQL.
 */
export const reportCourseTotals = sqliteTable(
  'report_course_totals',
  {
    countryCode: text('country_code').notNull(),
    courseId: text('course_id').notNull(),
    institutionId: integer('institution_id').notNull(),
    programme: text('programme', { enum: PROGRAMMES }).notNull(),
    enrolled: integer('enrolled').notNull(),
    started: integer('started').notNull(),
    completed: integer('completed').notNull(),
    certified: integer('certified').notNull(),
    completions: integer('completions').notNull(),
  },
  (t) => [primaryKey({ columns: [t.countryCode, t.courseId, t.institutionId] })],
);

/** Completions by whole days from start to completion, for the median time to complete. */
export const reportCompletionDays = sqliteTable(
  'report_completion_days',
  {
    countryCode: text('country_code').notNull(),
    institutionId: integer('institution_id').notNull(),
    courseId: text('course_id').notNull(),
    month: integer('month').notNull(), // month of completion, yyyymm
    days: integer('days').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.countryCode, t.courseId, t.institutionId, t.month, t.days] }),
    // Covering, in the order the median reads it (per course, by days): no sort of every completion of a country.
    index('report_completion_days_course_idx').on(t.countryCode, t.courseId, t.days, t.month, t.institutionId, t.n),
  ],
);

/** report_completion_days summed over every month (the median without a period), kept by triggers (migration 0019). */
export const reportCompletionDayTotals = sqliteTable(
  'report_completion_day_totals',
  {
    countryCode: text('country_code').notNull(),
    courseId: text('course_id').notNull(),
    days: integer('days').notNull(),
    institutionId: integer('institution_id').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.countryCode, t.courseId, t.days, t.institutionId] })],
);

/**
 * Who holds a certificate of a track, and until when: one row per person and track with the latest expiry of their
 * non-revoked certificates. Track 'refresh' joins Básico and Actualización: its valid_until is when the person's
 * plan training must be refreshed. A certificate without expiry counts as valid until NO_EXPIRY.
 */
export const REPORT_TRACKS = [...PROGRAMMES, 'refresh'] as const;
export const reportHolders = sqliteTable(
  'report_holders',
  {
    userId: integer('user_id').notNull(),
    track: text('track', { enum: REPORT_TRACKS }).notNull(),
    countryCode: text('country_code').notNull(),
    institutionId: integer('institution_id').notNull(),
    validUntil: integer('valid_until').notNull(),
    /** The holder's sex group ('female' | 'male' | 'notStated'), for the breakdown by sex only (reports/sex.ts). */
    sex: text('sex', { enum: ['female', 'male', 'notStated'] }).notNull().default('notStated'),
    /** 1 while the account is active and not erased (refreshers leave the others out). */
    active: integer('active').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.track] }),
    // Coverage counts valid rows per (track, institution) walking these in order: no sort, no table access.
    index('report_holders_scope_idx').on(t.countryCode, t.track, t.institutionId, t.validUntil),
    index('report_holders_track_idx').on(t.track, t.institutionId, t.validUntil),
    // The holders expiring within one month (what report_holder_counts cannot say to the instant).
    index('report_holders_expiry_idx').on(t.countryCode, t.validUntil, t.track, t.institutionId, t.sex, t.active),
  ],
);

/**
 * report_holders counted by (country, track, institution, month of valid_until, sex group, active): a dashboard sums
 * the months after the present one and counts the present month's rows of report_holders exactly
 * (src/server/reports/holder-counts.ts). Kept exact by triggers on report_holders, and report_holders' sex and active
 * by a trigger on users (migration 0019): any write path keeps them, in the same statement. WITHOUT ROWID in SQL.
 */
export const reportHolderCounts = sqliteTable(
  'report_holder_counts',
  {
    countryCode: text('country_code').notNull(),
    track: text('track', { enum: REPORT_TRACKS }).notNull(),
    institutionId: integer('institution_id').notNull(),
    /** yyyymm (UTC) of valid_until; 999912 for a certificate that never expires. */
    expiryMonth: integer('expiry_month').notNull(),
    sex: text('sex', { enum: ['female', 'male', 'notStated'] }).notNull(),
    active: integer('active').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.countryCode, t.track, t.institutionId, t.expiryMonth, t.sex, t.active] })],
);

/** Item analysis: how many responses of each kind, by the total score (percent) of the attempt they belong to. */
export const reportItemResponses = sqliteTable(
  'report_item_responses',
  {
    countryCode: text('country_code').notNull(),
    courseId: text('course_id').notNull(),
    questionId: text('question_id').notNull(),
    // A reworded question is another item: its figures start fresh ('' for responses from before versions were kept).
    questionVersion: text('question_version').notNull().default(''),
    scorePct: integer('score_pct').notNull(),
    response: text('response').notNull(), // the stored JSON text of the response
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.countryCode, t.courseId, t.questionId, t.questionVersion, t.scorePct, t.response] })],
);

/** Submitted attempts by total score (percent): the distribution that defines the upper and lower groups. */
export const reportAttemptScores = sqliteTable(
  'report_attempt_scores',
  {
    countryCode: text('country_code').notNull(),
    courseId: text('course_id').notNull(),
    scorePct: integer('score_pct').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.countryCode, t.courseId, t.scorePct] })],
);

/**
 * Every e-mail the platform sends, queued here and delivered by a small worker (src/server/mail/worker.ts) that claims
 * due rows with UPDATE … RETURNING, so several app nodes never send one message twice. Without SMTP configured the
 * worker keeps messages here ('held') and administrators read them at /[lang]/admin/outbox.
 */
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'held', 'failed'] as const;
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    toName: text('to_name'),
    locale: text('locale', { enum: LOCALES }).notNull(),
    subject: text('subject').notNull(),
    // The plain text; the HTML part is built from it when the message is sent.
    text: text('text').notNull(),
    status: text('status', { enum: MAIL_STATUSES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    /** The unsubscribe URL of a reminder, sent as List-Unsubscribe (RFC 2369/8058); null for transactional mail. */
    listUnsubscribe: text('list_unsubscribe'),
    createdAt: createdAt(),
  },
  (t) => [index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt), index('mail_outbox_created_idx').on(t.createdAt), index('mail_outbox_to_idx').on(t.toAddress)],
);

/**
 * Reminder kinds a person can turn off (account page or the signed link in every reminder). Transactional mail —
 * invitation, password reset, address confirmation, specialist decision — is not among them.
 */
export const REMINDER_KINDS = ['refresher', 'stalled', 'quiz_retry', 'committee', 'digest'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * Every reminder sent, written in the same transaction that queues its mail: the unique (person, kind, due key) is
 * what makes the scheduler exactly-once across nodes, crashes and clock jumps (src/server/reminders/scheduler.ts).
 * `kind` is the stage (refresher_60, refresher_14, refresher_0, stalled_14, stalled_30, quiz_retry, committee_message,
 * digest_monthly, digest_now);
 * `due_key` names the occasion: the lapse day in the learner's country (YYYY-MM-DD), an enrolment, an attempt, the
 * month a digest reports (YYYY-MM) or the window of one asked for.
 */
export const remindersSent = sqliteTable(
  'reminders_sent',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    dueKey: text('due_key').notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind, t.dueKey] }), index('reminders_sent_at_idx').on(t.sentAt)],
);

/** Each request to join a specialised unit: the unit and reason the person gave and when (the committee decides on the latest). */
export const specialistRequests = sqliteTable(
  'specialist_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    unit: text('unit').notNull(),
    reason: text('reason').notNull(),
    requestedAt: integer('requested_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('specialist_requests_user_idx').on(t.userId, t.requestedAt)],
);

/** A reminder kind a person turned off; no row means on. */
export const reminderOptOuts = sqliteTable(
  'reminder_opt_outs',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: REMINDER_KINDS }).notNull(),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** Single-use recovery codes for two-factor sign-in; only their SHA-256 is stored. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/**
 * Bulk imports of people from CSV/XLSX. The uploaded rows are kept (JSON) between the preview and the confirmation;
 * the SHA-256 of the file per country makes re-running the same file a no-op.
 */
export const importBatches = sqliteTable(
  'import_batches',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    actorId: integer('actor_id')
      .notNull()
      .references(() => users.id),
    countryCode: text('country_code')
      .notNull()
      .references(() => countries.code),
    fileName: text('file_name').notNull(),
    fileHash: text('file_hash').notNull(),
    rows: text('rows', { mode: 'json' }).notNull(),
    rowCount: integer('row_count').notNull(),
    status: text('status', { enum: ['preview', 'committed'] }).notNull().default('preview'),
    created: integer('created').notNull().default(0),
    committedAt: integer('committed_at', { mode: 'timestamp_ms' }),
    /** Set for a workshop's roster import: its committed rows join that workshop (and the fingerprint names it). */
    workshopId: integer('workshop_id').references(() => workshops.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('import_batches_country_hash_idx').on(t.countryCode, t.fileHash),
    // One committed import per file and country: a second run of the same file (or a double submit) cannot commit.
    uniqueIndex('import_batches_committed_uq').on(t.countryCode, t.fileHash).where(sql`status = 'committed'`),
  ],
);
