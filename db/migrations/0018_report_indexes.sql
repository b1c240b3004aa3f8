CREATE INDEX `enrolments_later_cycle_idx` ON `enrolments` (`user_id`) WHERE cycle > 1;
--> statement-breakpoint
CREATE INDEX `users_id_sex_idx` ON `users` (`id`,`sex`);
