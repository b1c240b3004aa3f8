CREATE TABLE `placement_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_id` text NOT NULL,
	`paper` text NOT NULL,
	`started_at` integer NOT NULL,
	`deadline_at` integer,
	`submitted_at` integer,
	`score` real,
	`max_score` real,
	`passed` integer,
	`responses` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `placement_attempts_user_idx` ON `placement_attempts` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `placement_attempts_open_uq` ON `placement_attempts` (`user_id`) WHERE submitted_at IS NULL;
