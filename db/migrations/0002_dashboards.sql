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
CREATE INDEX `certificates_history_idx` ON `certificates` (`country_code`,`programme`,`institution_id`,`user_id`,`issued_at`,`expires_at`,`revoked_at`) WHERE revoked_at IS NULL;--> statement-breakpoint
CREATE INDEX `certificates_refresh_idx` ON `certificates` (`country_code`,`user_id`,`programme`,`issued_at`,`expires_at`,`revoked_at`) WHERE revoked_at IS NULL;