CREATE INDEX `enrolments_enrolled_idx` ON `enrolments` (`enrolled_at`,`country_code`,`programme`);
--> statement-breakpoint
CREATE INDEX `enrolments_completed_idx` ON `enrolments` (`completed_at`,`country_code`,`programme`);
