ALTER TABLE `sessions` ADD `pending_totp_key` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `pending_totp_expires_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `email_verified` integer DEFAULT true NOT NULL;
