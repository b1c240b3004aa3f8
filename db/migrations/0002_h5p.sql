CREATE TABLE `activity_state` (
	`user_id` integer NOT NULL,
	`activity_id` text NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `activity_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
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
CREATE INDEX `xapi_statements_user_activity_idx` ON `xapi_statements` (`user_id`,`activity_id`);