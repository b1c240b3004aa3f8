CREATE TABLE `workshops` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`country_code` text,
	`title_es` text NOT NULL,
	`title_en` text NOT NULL,
	`course_slug` text NOT NULL,
	`mode` text NOT NULL,
	`place` text NOT NULL,
	`facilitators` text NOT NULL,
	`capacity` integer NOT NULL,
	`starts_on` text NOT NULL,
	`ends_on` text NOT NULL,
	`state` text DEFAULT 'planned' NOT NULL,
	`attendance_rule_percent` integer DEFAULT 80 NOT NULL,
	`requires_post_test` integer DEFAULT false NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`closed_at` integer,
	`closed_by` integer,
	FOREIGN KEY (`country_code`) REFERENCES `countries`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`closed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `workshops_country_starts_idx` ON `workshops` (`country_code`,`starts_on`);
--> statement-breakpoint
CREATE INDEX `workshops_state_idx` ON `workshops` (`state`,`closed_at`);
--> statement-breakpoint
CREATE TABLE `workshop_institutions` (
	`workshop_id` integer NOT NULL,
	`institution_id` integer NOT NULL,
	PRIMARY KEY(`workshop_id`, `institution_id`),
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`institution_id`) REFERENCES `institutions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `workshop_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workshop_id` integer NOT NULL,
	`day` text NOT NULL,
	`hours` real NOT NULL,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_sessions_day_uq` ON `workshop_sessions` (`workshop_id`,`day`);
--> statement-breakpoint
CREATE TABLE `workshop_participants` (
	`workshop_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`added_by` integer NOT NULL,
	`added_at` integer NOT NULL,
	`credited_at` integer,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_participants_uq` ON `workshop_participants` (`workshop_id`,`user_id`);
--> statement-breakpoint
CREATE INDEX `workshop_participants_user_idx` ON `workshop_participants` (`user_id`);
--> statement-breakpoint
CREATE TABLE `workshop_attendance` (
	`session_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`present` integer NOT NULL,
	`recorded_by` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`client_id` text NOT NULL,
	FOREIGN KEY (`session_id`) REFERENCES `workshop_sessions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_attendance_uq` ON `workshop_attendance` (`session_id`,`user_id`);
--> statement-breakpoint
CREATE UNIQUE INDEX `workshop_attendance_client_uq` ON `workshop_attendance` (`client_id`);
--> statement-breakpoint
CREATE INDEX `workshop_attendance_user_idx` ON `workshop_attendance` (`user_id`);
--> statement-breakpoint
ALTER TABLE `enrolments` ADD `completed_via` text DEFAULT 'online' NOT NULL;
--> statement-breakpoint
ALTER TABLE `certificates` ADD `delivery_mode` text DEFAULT 'online' NOT NULL;
--> statement-breakpoint
ALTER TABLE `certificates` ADD `workshop_id` integer REFERENCES workshops(id);
--> statement-breakpoint
ALTER TABLE `import_batches` ADD `workshop_id` integer REFERENCES workshops(id);
