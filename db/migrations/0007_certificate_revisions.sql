ALTER TABLE `certificates` ADD `revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `certificates` ADD `revised_at` integer;--> statement-breakpoint
ALTER TABLE `certificates` ADD `course_minutes` integer;--> statement-breakpoint
CREATE TABLE `certificate_name_corrections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`certificate_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`country_code` text,
	`requested_name` text NOT NULL,
	`status` text DEFAULT 'requested' NOT NULL,
	`requested_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` integer,
	`decision_reason` text,
	FOREIGN KEY (`certificate_id`) REFERENCES `certificates`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificate_name_corrections_pending_uq` ON `certificate_name_corrections` (`certificate_id`) WHERE status = 'requested';--> statement-breakpoint
CREATE INDEX `certificate_name_corrections_queue_idx` ON `certificate_name_corrections` (`status`,`country_code`,`requested_at`);--> statement-breakpoint
CREATE INDEX `certificate_name_corrections_certificate_idx` ON `certificate_name_corrections` (`certificate_id`,`decided_at`);--> statement-breakpoint
ALTER TABLE `enrolments` ADD `course_version` text;--> statement-breakpoint
ALTER TABLE `enrolments` ADD `lessons_at_start` text;--> statement-breakpoint
ALTER TABLE `quiz_attempts` ADD `course_version` text;--> statement-breakpoint
ALTER TABLE `quiz_responses` ADD `question_version` text;--> statement-breakpoint
ALTER TABLE `xapi_statements` ADD `course_version` text;
--> statement-breakpoint
-- Item analysis counts a question by id and version (a reworded question starts fresh figures): the version joins the
-- key of this summary table. It is derived data (rebuildReportSummaries), so it is rebuilt the SQLite way; rows from
-- before versions were recorded keep the version ''.
CREATE TABLE `__new_report_item_responses` (
	`country_code` text NOT NULL,
	`course_id` text NOT NULL,
	`question_id` text NOT NULL,
	`question_version` text DEFAULT '' NOT NULL,
	`score_pct` integer NOT NULL,
	`response` text NOT NULL,
	`correct` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`country_code`, `course_id`, `question_id`, `question_version`, `score_pct`, `response`)
);
--> statement-breakpoint
INSERT INTO `__new_report_item_responses` (`country_code`, `course_id`, `question_id`, `question_version`, `score_pct`, `response`, `correct`, `n`)
  SELECT `country_code`, `course_id`, `question_id`, '', `score_pct`, `response`, `correct`, `n` FROM `report_item_responses`;--> statement-breakpoint
DROP TABLE `report_item_responses`;--> statement-breakpoint
ALTER TABLE `__new_report_item_responses` RENAME TO `report_item_responses`;
