PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_failure_at` integer NOT NULL,
	`blocked_until` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_throttle`("key", "failures", "last_failure_at", "blocked_until") SELECT "key", "failures", "last_failure_at", "blocked_until" FROM `throttle`;--> statement-breakpoint
DROP TABLE `throttle`;--> statement-breakpoint
ALTER TABLE `__new_throttle` RENAME TO `throttle`;--> statement-breakpoint
PRAGMA foreign_keys=ON;