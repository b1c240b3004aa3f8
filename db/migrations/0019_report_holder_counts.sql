-- Holders counted by expiry month (issue 20.2): the dashboards sum a few hundred rows per country instead of reading
-- every holder and, for the breakdown by sex, every holder's account. Each holder row carries the two facts of the
-- account the figures split or filter by (the sex group, and whether the account still counts for refreshers).
ALTER TABLE `report_holders` ADD `sex` text DEFAULT 'notStated' NOT NULL;
--> statement-breakpoint
ALTER TABLE `report_holders` ADD `active` integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
UPDATE `report_holders` SET
  `sex` = (SELECT CASE u.sex WHEN 'female' THEN 'female' WHEN 'male' THEN 'male' ELSE 'notStated' END FROM `users` u WHERE u.id = `report_holders`.`user_id`),
  `active` = (SELECT u.active = 1 AND u.erased_at IS NULL FROM `users` u WHERE u.id = `report_holders`.`user_id`)
 WHERE `user_id` IN (SELECT `id` FROM `users`);
--> statement-breakpoint
CREATE INDEX `report_holders_expiry_idx` ON `report_holders` (`country_code`,`valid_until`,`track`,`institution_id`,`sex`,`active`);
--> statement-breakpoint
CREATE TABLE `report_holder_counts` (
	`country_code` text NOT NULL,
	`track` text NOT NULL,
	`institution_id` integer NOT NULL,
	`expiry_month` integer NOT NULL,
	`sex` text NOT NULL,
	`active` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`country_code`, `track`, `institution_id`, `expiry_month`, `sex`, `active`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_holder_counts` (`country_code`, `track`, `institution_id`, `expiry_month`, `sex`, `active`, `n`)
  SELECT `country_code`, `track`, `institution_id`, CAST(strftime('%Y%m', `valid_until` / 1000, 'unixepoch') AS INTEGER), `sex`, `active`, count(*)
    FROM `report_holders` GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
-- The counts follow report_holders in the same statement, whichever code writes it: no write path can forget them.
CREATE TRIGGER `report_holders_counted_insert` AFTER INSERT ON `report_holders` BEGIN
  INSERT INTO `report_holder_counts` (`country_code`, `track`, `institution_id`, `expiry_month`, `sex`, `active`, `n`)
    VALUES (NEW.`country_code`, NEW.`track`, NEW.`institution_id`, CAST(strftime('%Y%m', NEW.`valid_until` / 1000, 'unixepoch') AS INTEGER), NEW.`sex`, NEW.`active`, 1)
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_holders_counted_delete` AFTER DELETE ON `report_holders` BEGIN
  UPDATE `report_holder_counts` SET `n` = `n` - 1
   WHERE `country_code` = OLD.`country_code` AND `track` = OLD.`track` AND `institution_id` = OLD.`institution_id`
     AND `expiry_month` = CAST(strftime('%Y%m', OLD.`valid_until` / 1000, 'unixepoch') AS INTEGER) AND `sex` = OLD.`sex` AND `active` = OLD.`active`;
  DELETE FROM `report_holder_counts`
   WHERE `country_code` = OLD.`country_code` AND `track` = OLD.`track` AND `institution_id` = OLD.`institution_id`
     AND `expiry_month` = CAST(strftime('%Y%m', OLD.`valid_until` / 1000, 'unixepoch') AS INTEGER) AND `sex` = OLD.`sex` AND `active` = OLD.`active` AND `n` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `report_holders_counted_update` AFTER UPDATE ON `report_holders`
  WHEN OLD.`country_code` IS NOT NEW.`country_code` OR OLD.`track` IS NOT NEW.`track` OR OLD.`institution_id` IS NOT NEW.`institution_id`
    OR OLD.`valid_until` IS NOT NEW.`valid_until` OR OLD.`sex` IS NOT NEW.`sex` OR OLD.`active` IS NOT NEW.`active` BEGIN
  UPDATE `report_holder_counts` SET `n` = `n` - 1
   WHERE `country_code` = OLD.`country_code` AND `track` = OLD.`track` AND `institution_id` = OLD.`institution_id`
     AND `expiry_month` = CAST(strftime('%Y%m', OLD.`valid_until` / 1000, 'unixepoch') AS INTEGER) AND `sex` = OLD.`sex` AND `active` = OLD.`active`;
  DELETE FROM `report_holder_counts`
   WHERE `country_code` = OLD.`country_code` AND `track` = OLD.`track` AND `institution_id` = OLD.`institution_id`
     AND `expiry_month` = CAST(strftime('%Y%m', OLD.`valid_until` / 1000, 'unixepoch') AS INTEGER) AND `sex` = OLD.`sex` AND `active` = OLD.`active` AND `n` = 0;
  INSERT INTO `report_holder_counts` (`country_code`, `track`, `institution_id`, `expiry_month`, `sex`, `active`, `n`)
    VALUES (NEW.`country_code`, NEW.`track`, NEW.`institution_id`, CAST(strftime('%Y%m', NEW.`valid_until` / 1000, 'unixepoch') AS INTEGER), NEW.`sex`, NEW.`active`, 1)
    ON CONFLICT DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
-- A person's sex answer and account state reach their holder rows whoever changes them (profile, erasure,
-- deactivation by an administrator, and any later path).
CREATE TRIGGER `users_report_holders` AFTER UPDATE OF `sex`, `active`, `erased_at` ON `users`
  WHEN OLD.`sex` IS NOT NEW.`sex` OR OLD.`active` IS NOT NEW.`active` OR OLD.`erased_at` IS NOT NEW.`erased_at` BEGIN
  UPDATE `report_holders` SET
    `sex` = CASE NEW.`sex` WHEN 'female' THEN 'female' WHEN 'male' THEN 'male' ELSE 'notStated' END,
    `active` = (NEW.`active` = 1 AND NEW.`erased_at` IS NULL)
   WHERE `user_id` = NEW.`id`;
END;
--> statement-breakpoint
-- The median days to complete per course, read in this order (no sort of every completion of a country).
CREATE INDEX `report_completion_days_course_idx` ON `report_completion_days` (`country_code`,`course_id`,`days`,`month`,`institution_id`,`n`);
--> statement-breakpoint
-- The funnel and completions per month read a country's months from this covering index, the region's country by
-- country, instead of skipping through the course or programme index and reading each row.
CREATE INDEX `report_course_month_country_idx` ON `report_course_month` (`country_code`,`month`,`course_id`,`institution_id`,`programme`,`enrolled`,`started`,`completed`,`certified`,`completions`);
--> statement-breakpoint
-- Observers' frozen figures count the certificates valid at a semester's end, revoked later or not (so the partial
-- certificates_history_idx cannot answer them): covering, in the order count(DISTINCT user_id) per country and
-- track reads them, instead of reading every certificate's row.
CREATE INDEX `certificates_frozen_idx` ON `certificates` (`country_code`,`programme`,`user_id`,`issued_at`,`expires_at`,`revoked_at`);
--> statement-breakpoint
-- report_course_month summed over every month: what the funnels read without a period (the dashboards' default).
CREATE TABLE `report_course_totals` (
	`country_code` text NOT NULL,
	`course_id` text NOT NULL,
	`institution_id` integer NOT NULL,
	`programme` text NOT NULL,
	`enrolled` integer NOT NULL,
	`started` integer NOT NULL,
	`completed` integer NOT NULL,
	`certified` integer NOT NULL,
	`completions` integer NOT NULL,
	PRIMARY KEY(`country_code`, `course_id`, `institution_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_course_totals` (`country_code`, `course_id`, `institution_id`, `programme`, `enrolled`, `started`, `completed`, `certified`, `completions`)
  SELECT `country_code`, `course_id`, `institution_id`, max(`programme`), sum(`enrolled`), sum(`started`), sum(`completed`), sum(`certified`), sum(`completions`)
    FROM `report_course_month` GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `report_course_month_totalled_insert` AFTER INSERT ON `report_course_month` BEGIN
  INSERT INTO `report_course_totals` (`country_code`, `course_id`, `institution_id`, `programme`, `enrolled`, `started`, `completed`, `certified`, `completions`)
    VALUES (NEW.`country_code`, NEW.`course_id`, NEW.`institution_id`, NEW.`programme`, NEW.`enrolled`, NEW.`started`, NEW.`completed`, NEW.`certified`, NEW.`completions`)
    ON CONFLICT DO UPDATE SET `enrolled` = `enrolled` + excluded.`enrolled`, `started` = `started` + excluded.`started`, `completed` = `completed` + excluded.`completed`,
      `certified` = `certified` + excluded.`certified`, `completions` = `completions` + excluded.`completions`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_course_month_totalled_update` AFTER UPDATE ON `report_course_month` BEGIN
  UPDATE `report_course_totals` SET `enrolled` = `enrolled` - OLD.`enrolled`, `started` = `started` - OLD.`started`, `completed` = `completed` - OLD.`completed`,
      `certified` = `certified` - OLD.`certified`, `completions` = `completions` - OLD.`completions`
   WHERE `country_code` = OLD.`country_code` AND `course_id` = OLD.`course_id` AND `institution_id` = OLD.`institution_id`;
  INSERT INTO `report_course_totals` (`country_code`, `course_id`, `institution_id`, `programme`, `enrolled`, `started`, `completed`, `certified`, `completions`)
    VALUES (NEW.`country_code`, NEW.`course_id`, NEW.`institution_id`, NEW.`programme`, NEW.`enrolled`, NEW.`started`, NEW.`completed`, NEW.`certified`, NEW.`completions`)
    ON CONFLICT DO UPDATE SET `enrolled` = `enrolled` + excluded.`enrolled`, `started` = `started` + excluded.`started`, `completed` = `completed` + excluded.`completed`,
      `certified` = `certified` + excluded.`certified`, `completions` = `completions` + excluded.`completions`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_course_month_totalled_delete` AFTER DELETE ON `report_course_month` BEGIN
  UPDATE `report_course_totals` SET `enrolled` = `enrolled` - OLD.`enrolled`, `started` = `started` - OLD.`started`, `completed` = `completed` - OLD.`completed`,
      `certified` = `certified` - OLD.`certified`, `completions` = `completions` - OLD.`completions`
   WHERE `country_code` = OLD.`country_code` AND `course_id` = OLD.`course_id` AND `institution_id` = OLD.`institution_id`;
END;
--> statement-breakpoint
-- report_completion_days summed over every month: the median days to complete without a period.
CREATE TABLE `report_completion_day_totals` (
	`country_code` text NOT NULL,
	`course_id` text NOT NULL,
	`days` integer NOT NULL,
	`institution_id` integer NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`country_code`, `course_id`, `days`, `institution_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_completion_day_totals` (`country_code`, `course_id`, `days`, `institution_id`, `n`)
  SELECT `country_code`, `course_id`, `days`, `institution_id`, sum(`n`) FROM `report_completion_days` GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
CREATE TRIGGER `report_completion_days_totalled_insert` AFTER INSERT ON `report_completion_days` BEGIN
  INSERT INTO `report_completion_day_totals` (`country_code`, `course_id`, `days`, `institution_id`, `n`)
    VALUES (NEW.`country_code`, NEW.`course_id`, NEW.`days`, NEW.`institution_id`, NEW.`n`)
    ON CONFLICT DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_completion_days_totalled_update` AFTER UPDATE ON `report_completion_days` BEGIN
  UPDATE `report_completion_day_totals` SET `n` = `n` - OLD.`n`
   WHERE `country_code` = OLD.`country_code` AND `course_id` = OLD.`course_id` AND `days` = OLD.`days` AND `institution_id` = OLD.`institution_id`;
  INSERT INTO `report_completion_day_totals` (`country_code`, `course_id`, `days`, `institution_id`, `n`)
    VALUES (NEW.`country_code`, NEW.`course_id`, NEW.`days`, NEW.`institution_id`, NEW.`n`)
    ON CONFLICT DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_completion_days_totalled_delete` AFTER DELETE ON `report_completion_days` BEGIN
  UPDATE `report_completion_day_totals` SET `n` = `n` - OLD.`n`
   WHERE `country_code` = OLD.`country_code` AND `course_id` = OLD.`course_id` AND `days` = OLD.`days` AND `institution_id` = OLD.`institution_id`;
END;
