CREATE TABLE `activity_state` (
	`user_id` integer NOT NULL,
	`activity_id` text NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `activity_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `import_batches` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`actor_id` integer NOT NULL,
	`country_code` text NOT NULL,
	`file_name` text NOT NULL,
	`file_hash` text NOT NULL,
	`rows` text NOT NULL,
	`row_count` integer NOT NULL,
	`status` text DEFAULT 'preview' NOT NULL,
	`created` integer DEFAULT 0 NOT NULL,
	`committed_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `import_batches_country_hash_idx` ON `import_batches` (`country_code`,`file_hash`);--> statement-breakpoint
CREATE UNIQUE INDEX `import_batches_committed_uq` ON `import_batches` (`country_code`,`file_hash`) WHERE status = 'committed';--> statement-breakpoint
CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`to_address` text NOT NULL,
	`to_name` text,
	`locale` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`locked_until` integer,
	`last_error` text,
	`sent_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `mail_outbox_created_idx` ON `mail_outbox` (`created_at`);--> statement-breakpoint
CREATE INDEX `mail_outbox_to_idx` ON `mail_outbox` (`to_address`);--> statement-breakpoint
CREATE TABLE `recovery_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recovery_codes_user_idx` ON `recovery_codes` (`user_id`);--> statement-breakpoint
CREATE TABLE `report_attempt_scores` (
	`country_code` text NOT NULL,
	`course_id` text NOT NULL,
	`score_pct` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`country_code`, `course_id`, `score_pct`)
);
--> statement-breakpoint
CREATE TABLE `report_completion_days` (
	`country_code` text NOT NULL,
	`institution_id` integer NOT NULL,
	`course_id` text NOT NULL,
	`month` integer NOT NULL,
	`days` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`country_code`, `course_id`, `institution_id`, `month`, `days`)
);
--> statement-breakpoint
CREATE TABLE `report_course_month` (
	`country_code` text NOT NULL,
	`institution_id` integer NOT NULL,
	`course_id` text NOT NULL,
	`programme` text NOT NULL,
	`month` integer NOT NULL,
	`enrolled` integer DEFAULT 0 NOT NULL,
	`started` integer DEFAULT 0 NOT NULL,
	`completed` integer DEFAULT 0 NOT NULL,
	`certified` integer DEFAULT 0 NOT NULL,
	`completions` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`country_code`, `institution_id`, `course_id`, `month`)
);
--> statement-breakpoint
CREATE INDEX `report_course_month_course_idx` ON `report_course_month` (`course_id`,`month`);--> statement-breakpoint
CREATE INDEX `report_course_month_programme_idx` ON `report_course_month` (`programme`,`month`);--> statement-breakpoint
CREATE TABLE `report_holders` (
	`user_id` integer NOT NULL,
	`track` text NOT NULL,
	`country_code` text NOT NULL,
	`institution_id` integer NOT NULL,
	`valid_until` integer NOT NULL,
	PRIMARY KEY(`user_id`, `track`)
);
--> statement-breakpoint
CREATE INDEX `report_holders_scope_idx` ON `report_holders` (`country_code`,`track`,`institution_id`,`valid_until`);--> statement-breakpoint
CREATE INDEX `report_holders_track_idx` ON `report_holders` (`track`,`institution_id`,`valid_until`);--> statement-breakpoint
CREATE TABLE `report_item_responses` (
	`country_code` text NOT NULL,
	`course_id` text NOT NULL,
	`question_id` text NOT NULL,
	`score_pct` integer NOT NULL,
	`response` text NOT NULL,
	`correct` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`country_code`, `course_id`, `question_id`, `score_pct`, `response`)
);
--> statement-breakpoint
CREATE TABLE `xapi_forward_queue` (
	`statement_id` text PRIMARY KEY NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	FOREIGN KEY (`statement_id`) REFERENCES `xapi_statements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `xapi_forward_queue_next_idx` ON `xapi_forward_queue` (`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `xapi_statements` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`activity_id` text NOT NULL,
	`course_id` text,
	`country_code` text,
	`verb` text NOT NULL,
	`score_raw` real,
	`score_max` real,
	`success` integer,
	`statement` text NOT NULL,
	`stored_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `xapi_statements_stored_idx` ON `xapi_statements` (`stored_at`);--> statement-breakpoint
CREATE INDEX `xapi_statements_country_stored_idx` ON `xapi_statements` (`country_code`,`stored_at`);--> statement-breakpoint
CREATE INDEX `xapi_statements_course_stored_idx` ON `xapi_statements` (`course_id`,`stored_at`);--> statement-breakpoint
CREATE INDEX `xapi_statements_user_activity_idx` ON `xapi_statements` (`user_id`,`activity_id`);--> statement-breakpoint
CREATE INDEX `certificates_history_idx` ON `certificates` (`country_code`,`programme`,`institution_id`,`user_id`,`issued_at`,`expires_at`,`revoked_at`) WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE INDEX `certificates_refresh_idx` ON `certificates` (`country_code`,`user_id`,`programme`,`issued_at`,`expires_at`,`revoked_at`) WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE INDEX `users_country_name_idx` ON `users` (`country_code`,`name`,`id`);--> statement-breakpoint
CREATE INDEX `users_specialist_status_idx` ON `users` (`specialist_status`,`country_code`);