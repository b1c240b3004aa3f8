CREATE TABLE `activity_results` (
	`user_id` integer NOT NULL,
	`activity_id` text NOT NULL,
	`course_id` text,
	`best_score` real NOT NULL,
	`last_score` real NOT NULL,
	`max_score` real NOT NULL,
	`completed` integer DEFAULT false NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `activity_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `activity_results_activity_idx` ON `activity_results` (`activity_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`action` text NOT NULL,
	`target_type` text,
	`target_id` text,
	`country_code` text,
	`ip` text,
	`before` text,
	`after` text,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`,`at`);--> statement-breakpoint
CREATE TABLE `certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`user_id` integer NOT NULL,
	`enrolment_id` integer,
	`course_id` text NOT NULL,
	`programme` text NOT NULL,
	`course_version` text,
	`holder_name` text NOT NULL,
	`country_code` text,
	`institution_id` integer,
	`issued_at` integer NOT NULL,
	`expires_at` integer,
	`revoked_at` integer,
	`revoked_reason` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_code_uq` ON `certificates` (`code`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_enrolment_uq` ON `certificates` (`enrolment_id`);--> statement-breakpoint
CREATE INDEX `certificates_user_programme_idx` ON `certificates` (`user_id`,`programme`,`expires_at`);--> statement-breakpoint
CREATE INDEX `certificates_country_programme_idx` ON `certificates` (`country_code`,`programme`,`expires_at`);--> statement-breakpoint
CREATE INDEX `certificates_institution_programme_idx` ON `certificates` (`institution_id`,`programme`,`expires_at`);--> statement-breakpoint
CREATE INDEX `certificates_issued_idx` ON `certificates` (`country_code`,`issued_at`);--> statement-breakpoint
CREATE TABLE `countries` (
	`code` text PRIMARY KEY NOT NULL,
	`name_es` text NOT NULL,
	`name_en` text NOT NULL,
	`member` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE `email_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `email_tokens_user_idx` ON `email_tokens` (`user_id`,`purpose`);--> statement-breakpoint
CREATE TABLE `enrolments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_id` text NOT NULL,
	`programme` text NOT NULL,
	`cycle` integer DEFAULT 1 NOT NULL,
	`country_code` text,
	`institution_id` integer,
	`enrolled_at` integer NOT NULL,
	`started_at` integer,
	`completed_at` integer,
	`last_lesson` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrolments_user_course_cycle_uq` ON `enrolments` (`user_id`,`course_id`,`cycle`);--> statement-breakpoint
CREATE INDEX `enrolments_country_course_idx` ON `enrolments` (`country_code`,`course_id`,`completed_at`);--> statement-breakpoint
CREATE INDEX `enrolments_institution_course_idx` ON `enrolments` (`institution_id`,`course_id`);--> statement-breakpoint
CREATE INDEX `enrolments_course_completed_idx` ON `enrolments` (`course_id`,`completed_at`);--> statement-breakpoint
CREATE TABLE `institution_targets` (
	`institution_id` integer NOT NULL,
	`programme` text NOT NULL,
	`target` integer NOT NULL,
	`updated_at` integer,
	PRIMARY KEY(`institution_id`, `programme`),
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `institutions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`country_code` text NOT NULL,
	`sector_code` text NOT NULL,
	`name` text NOT NULL,
	`acronym` text,
	`active` integer DEFAULT true NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sector_code`) REFERENCES `sectors`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `institutions_country_name_uq` ON `institutions` (`country_code`,`name`);--> statement-breakpoint
CREATE INDEX `institutions_country_sector_idx` ON `institutions` (`country_code`,`sector_code`);--> statement-breakpoint
CREATE TABLE `lesson_progress` (
	`enrolment_id` integer NOT NULL,
	`lesson` text NOT NULL,
	`completed_at` integer NOT NULL,
	PRIMARY KEY(`enrolment_id`, `lesson`),
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `national_bodies` (
	`country_code` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`acronym` text,
	`name_es` text NOT NULL,
	`name_en` text NOT NULL,
	`hotline` text,
	`referral_contact` text,
	`updated_at` integer,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrolment_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`course_id` text NOT NULL,
	`paper` text NOT NULL,
	`started_at` integer NOT NULL,
	`deadline_at` integer,
	`submitted_at` integer,
	`score` real,
	`max_score` real,
	`passed` integer,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_attempts_enrolment_idx` ON `quiz_attempts` (`enrolment_id`);--> statement-breakpoint
CREATE INDEX `quiz_attempts_course_submitted_idx` ON `quiz_attempts` (`course_id`,`submitted_at`);--> statement-breakpoint
CREATE TABLE `quiz_responses` (
	`attempt_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`response` text NOT NULL,
	`score` real NOT NULL,
	`correct` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `question_id`),
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_responses_question_idx` ON `quiz_responses` (`question_id`);--> statement-breakpoint
CREATE TABLE `sectors` (
	`code` text PRIMARY KEY NOT NULL,
	`name_es` text NOT NULL,
	`name_en` text NOT NULL,
	`sort_order` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`two_factor_verified` integer DEFAULT false NOT NULL,
	`ip` text,
	`user_agent` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failure_at` integer NOT NULL,
	`blocked_until` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`email_key` text NOT NULL,
	`password_hash` text,
	`role` text DEFAULT 'learner' NOT NULL,
	`country_code` text,
	`institution_id` integer,
	`media_outlet` text,
	`locale` text DEFAULT 'es' NOT NULL,
	`specialist_status` text DEFAULT 'none' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`totp_key` text,
	`erased_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_key_uq` ON `users` (`email_key`);--> statement-breakpoint
CREATE INDEX `users_country_role_idx` ON `users` (`country_code`,`role`);--> statement-breakpoint
CREATE INDEX `users_institution_idx` ON `users` (`institution_id`);