ALTER TABLE `countries` ADD `time_zone` text DEFAULT 'UTC' NOT NULL;
--> statement-breakpoint
UPDATE `countries` SET `time_zone` = CASE `code`
	WHEN 'BZ' THEN 'America/Belize'
	WHEN 'CR' THEN 'America/Costa_Rica'
	WHEN 'SV' THEN 'America/El_Salvador'
	WHEN 'GT' THEN 'America/Guatemala'
	WHEN 'HN' THEN 'America/Tegucigalpa'
	WHEN 'MX' THEN 'America/Mexico_City'
	WHEN 'NI' THEN 'America/Managua'
	WHEN 'PA' THEN 'America/Panama'
	WHEN 'DO' THEN 'America/Santo_Domingo'
	ELSE `time_zone` END;
--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `list_unsubscribe` text;
--> statement-breakpoint
CREATE TABLE `reminders_sent` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`due_key` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`, `due_key`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `reminders_sent_at_idx` ON `reminders_sent` (`sent_at`);
--> statement-breakpoint
CREATE TABLE `reminder_opt_outs` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
