ALTER TABLE `users` ADD `position` text;
--> statement-breakpoint
ALTER TABLE `users` ADD `sex` text;
