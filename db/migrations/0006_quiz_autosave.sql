ALTER TABLE `quiz_attempts` ADD `late` integer DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE `quiz_attempts` SET `late` = 1 WHERE `deadline_at` IS NOT NULL AND `submitted_at` = `deadline_at` AND `score` = 0;--> statement-breakpoint
CREATE TABLE `quiz_drafts` (
	`attempt_id` integer NOT NULL,
	`question` integer NOT NULL,
	`fields` text NOT NULL,
	`seq` integer NOT NULL,
	`saved_at` integer NOT NULL,
	PRIMARY KEY(`attempt_id`, `question`),
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quiz_time_extensions` (
	`user_id` integer NOT NULL,
	`course_id` text NOT NULL,
	`minutes` integer NOT NULL,
	`granted_by` integer NOT NULL,
	`granted_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `course_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`granted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
