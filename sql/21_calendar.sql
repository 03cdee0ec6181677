-- The working-day calendar: the shipped years 2025 and 2026 (holidays and
-- 调休 working weekends), Monday to Friday for years not loaded, loading a
-- year, who may write it, bad input, and pg_dump's filter.  pgTAP.
\i sql/include/tap_setup.sql

SELECT plan(97);

-- ------------------------------------------------------------------
-- What is shipped
-- ------------------------------------------------------------------
SELECT results_eq($$SELECT year, doc_no, issued_on, shipped FROM credit.calendar_year ORDER BY year$$,
                  $$VALUES (2025, '国办发明电〔2024〕12号', date '2024-11-12', true), (2026, NULL, date '2025-11-04', true)$$,
                  '2025 and 2026 are shipped, with their notices');
SELECT results_eq($$SELECT year, kind::text AS kind_label, count(*)::integer FROM credit.calendar_day GROUP BY year, kind ORDER BY year, kind$$,
                  $$VALUES (2025, '放假', 28), (2025, '上班', 5), (2026, '放假', 33), (2026, '上班', 6)$$,
                  'every day of each holiday period and every 调休 working weekend');
SELECT results_eq($$SELECT day FROM credit.calendar_day WHERE kind = '上班' ORDER BY day$$,
                  $$VALUES (date '2025-01-26'), ('2025-02-08'), ('2025-04-27'), ('2025-09-28'), ('2025-10-11'),
                           ('2026-01-04'), ('2026-02-14'), ('2026-02-28'), ('2026-05-09'), ('2026-09-20'), ('2026-10-10')$$,
                  'the 调休 working weekends of the notices');

-- ------------------------------------------------------------------
-- Working days (Monday to Friday)
-- ------------------------------------------------------------------
SELECT is(credit.add_working_days('2026-11-20', 1), '2026-11-23'::date, 'Friday + 1 working day = Monday');
SELECT is(credit.add_working_days('2026-11-23', 5), '2026-11-30'::date, 'Monday + 5 = next Monday');
SELECT is(credit.add_working_days('2026-11-21', 7), '2026-12-01'::date, 'Saturday + 7 = Tuesday week after');
SELECT is(credit.add_working_days('2026-11-23', 0), '2026-11-23'::date, '+ 0 is the same day');
SELECT is(credit.add_working_days('2026-11-23', -1), '2026-11-20'::date, 'Monday - 1 = Friday');
SELECT is(credit.working_days_between('2026-11-20', '2026-11-23'), 1, 'Friday to Monday is 1 working day');
SELECT is(credit.working_days_between('2026-11-23', '2026-11-20'), -1, 'and -1 backwards');
SELECT is(credit.working_days_between('2026-11-23', '2026-12-07'), 10, 'two weeks are 10 working days');

-- ------------------------------------------------------------------
-- is_working_day
-- ------------------------------------------------------------------
SELECT is(credit.is_working_day('2026-10-01'), false, 'National Day is not a working day');
SELECT is(credit.is_working_day('2026-10-05'), false, 'nor a Monday inside the National Day holiday');
SELECT is(credit.is_working_day('2026-10-10'), true, 'the 调休 Saturday 2026-10-10 is a working day');
SELECT is(credit.is_working_day('2026-10-11'), false, 'the Sunday after it is not');
SELECT is(credit.is_working_day('2026-10-17'), false, 'nor an ordinary Saturday');
SELECT is(credit.is_working_day('2030-06-15'), false, 'nor a Saturday of a year not loaded');
SELECT is(credit.is_working_day('2026-10-09'), true, 'an ordinary Friday is');

-- ------------------------------------------------------------------
-- add_working_days
-- ------------------------------------------------------------------
SELECT is(credit.add_working_days('2026-09-30', 1), '2026-10-08'::date, '2026-09-30 + 1 skips the National Day holiday');
SELECT is(credit.add_working_days('2026-10-09', 1), '2026-10-10'::date, '2026-10-09 + 1 is the 调休 Saturday');
SELECT is(credit.add_working_days('2026-10-10', 1), '2026-10-12'::date, 'and the working day after it is Monday');
SELECT is(credit.add_working_days('2026-09-30', 7), '2026-10-15'::date, '7 working days across the holiday and the 调休 Saturday');
SELECT is(credit.add_working_days('2026-02-13', 1), '2026-02-14'::date, '2026-02-13 + 1 is the 调休 Saturday before 春节');
SELECT is(credit.add_working_days('2026-02-14', 1), '2026-02-24'::date, 'then the nine days of 春节 are skipped');
SELECT is(credit.add_working_days('2025-01-24', 1), '2025-01-26'::date, '2025: Friday + 1 is the 调休 Sunday 1月26日');
SELECT is(credit.add_working_days('2025-01-27', 1), '2025-02-05'::date, '2025: 春节 1月28日-2月4日 is skipped');
SELECT is(credit.add_working_days('2025-02-07', 1), '2025-02-08'::date, '2025: the 调休 Saturday 2月8日');
SELECT is(credit.add_working_days('2025-01-27', 5), '2025-02-10'::date, '2025: five working days across 春节 and 2月8日');
SELECT is(credit.add_working_days('2025-12-31', 1), '2026-01-04'::date, 'across the new year: 元旦 2026 and the 调休 Sunday 1月4日');
SELECT is(credit.add_working_days('2026-10-03', 1), '2026-10-08'::date, 'from a holiday day itself');
SELECT is(credit.add_working_days('2026-10-03', 0), '2026-10-03'::date, 'n = 0 gives the day, even a holiday');
SELECT is(credit.add_working_days('2026-09-30', 0), '2026-09-30'::date, 'n = 0 gives the day');
SELECT is(credit.add_working_days('2026-10-08', -1), '2026-09-30'::date, 'n = -1 goes back across the holiday');
SELECT is(credit.add_working_days('2026-10-12', -1), '2026-10-10'::date, 'n = -1 from Monday is the 调休 Saturday');
SELECT is(credit.add_working_days('2026-10-03', -1), '2026-09-30'::date, 'back from a holiday day itself');
SELECT is(credit.add_working_days('2026-02-24', -2), '2026-02-13'::date, 'n = -2 across 春节 and the 调休 Saturday');
SELECT is(credit.add_working_days('2026-10-15', -7), '2026-09-30'::date, 'n = -7 undoes n = 7');

-- ------------------------------------------------------------------
-- working_days_between
-- ------------------------------------------------------------------
SELECT is(credit.working_days_between('2026-09-30', '2026-10-12'), 4, 'across the National Day holiday: 10-08, 10-09, 10-10, 10-12');
SELECT is(credit.working_days_between('2026-10-12', '2026-09-30'), -4, 'and -4 backwards');
SELECT is(credit.working_days_between('2026-02-13', '2026-02-27'), 5, 'across 春节 2026 with the 调休 Saturday');
SELECT is(credit.working_days_between('2026-10-01', '2026-10-07'), 0, 'inside a holiday: none');
SELECT is(credit.working_days_between('2026-10-03', '2026-10-03'), 0, 'a day to itself: none');
SELECT is(credit.working_days_between('2024-12-31', '2025-12-31'), 248, 'the whole of 2025: 261 weekdays - 18 weekday holidays + 5 调休 days');
SELECT is(credit.working_days_between('2025-12-31', '2026-12-31'), 248, 'the whole of 2026: 261 weekdays - 19 weekday holidays + 6 调休 days');
SELECT is(credit.working_days_between('2024-12-31', '2027-01-01'), 248 + 248 + 1, 'across 2025 and 2026 into 2027 (Monday-Friday)');

-- ------------------------------------------------------------------
-- A year not loaded is Monday to Friday
-- ------------------------------------------------------------------
SELECT is(credit.is_working_day('2027-01-01'), true, '2027 is not loaded: a Friday is a working day');
SELECT is(credit.add_working_days('2027-01-01', 1), '2027-01-04'::date, '2027: Friday + 1 = Monday');
SELECT is(credit.add_working_days('2027-01-04', -1), '2027-01-01'::date, '2027: Monday - 1 = Friday');
SELECT is(credit.working_days_between('2027-01-01', '2027-01-15'), 10, '2027: two weeks are 10 working days');
SELECT is(credit.add_working_days('2026-12-31', 2), '2027-01-04'::date, 'from 2026 into 2027');

-- ------------------------------------------------------------------
-- Loading a year: the functions follow at once, and stop when it goes
-- (2030 here is a test fixture, not a notice)
-- ------------------------------------------------------------------
SELECT is(credit.add_working_days('2029-12-31', 1), '2030-01-01'::date, '2030 not loaded yet: Monday-Friday');
SET ROLE regress_centre;
SELECT is(credit.load_calendar_year(2030, '测试用年度 (test fixture)', NULL, '2029-11-01', NULL,
          '[{"name": "元旦", "from": "2030-01-01"},
            {"name": "春节", "from": "2030-02-02", "to": "2030-02-08", "working": ["2030-01-26", "2030-02-09"]}]'),
          10, 'the centre loads a year: 8 days off and 2 working Saturdays');
SELECT is(credit.add_working_days('2029-12-31', 1), '2030-01-02'::date, 'the functions follow the loaded year at once');
SELECT is(credit.is_working_day('2030-01-26'), true, 'its 调休 Saturday is a working day');
SELECT is(credit.add_working_days('2030-02-01', 1), '2030-02-09'::date, 'and its 春节 is skipped');
SELECT is(credit.working_days_between('2030-01-25', '2030-02-11'), 8, 'working_days_between follows it too');
SELECT is((SELECT shipped FROM credit.calendar_year WHERE year = 2030), false, 'a loaded year is not shipped');
SELECT throws_ok($$SELECT credit.load_calendar_year(2030, 't', NULL, '2029-11-01', NULL, '[{"name": "元旦", "from": "2030-01-01"}]')$$,
                 '23505', 'calendar year 2030 is already loaded', 'a year is not loaded twice');
-- a day the State Council adds to a shipped year (test fixture)
INSERT INTO credit.calendar_day (day, year, kind, name) VALUES ('2026-12-31', 2026, '放假', '测试加放 (test fixture)');
SELECT is(credit.add_working_days('2026-12-30', 1), '2027-01-01'::date, 'a day added to a shipped year counts');
DELETE FROM credit.calendar_day WHERE day = '2026-12-31';
DELETE FROM credit.calendar_year WHERE year = 2030;
SELECT is((SELECT count(*)::integer FROM credit.calendar_day WHERE year = 2030), 0, 'deleting a year deletes its days');
SELECT is(credit.add_working_days('2029-12-31', 1), '2030-01-01'::date, 'and it is Monday-Friday again');

-- the shipped years are not changed, even by the centre
SELECT throws_ok($$UPDATE credit.calendar_day SET name = '改' WHERE day = '2026-10-01'$$,
                 '2F003', 'calendar rows shipped with the extension are not changed (year 2026)', 'a shipped day is not changed');
SELECT throws_ok($$DELETE FROM credit.calendar_year WHERE year = 2025$$,
                 '2F003', 'calendar rows shipped with the extension are not changed (year 2025)', 'a shipped year is not deleted');
SELECT throws_ok($$INSERT INTO credit.calendar_year (year, title, issued_on, shipped) VALUES (2031, 't', '2030-11-01', true)$$,
                 '2F003', 'only the extension ships calendar rows (year 2031)', 'nobody else marks rows shipped');
RESET ROLE;
SELECT throws_ok($$DELETE FROM credit.calendar_day WHERE day = '2025-01-01'$$,
                 '2F003', NULL, 'nor the DBA');

-- ------------------------------------------------------------------
-- A department reads the calendar but does not write it
-- ------------------------------------------------------------------
SET ROLE regress_scjg;
SELECT is(credit.add_working_days('2026-09-30', 1), '2026-10-08'::date, 'a department role uses the calendar');
SELECT is((SELECT array_agg(year ORDER BY year) FROM credit.calendar_year), ARRAY[2025, 2026], 'and reads it: the years shipped');
SELECT throws_ok($$INSERT INTO credit.calendar_day (day, year, kind, name) VALUES ('2026-12-31', 2026, '放假', '自定')$$,
                 '42501', NULL, 'a department cannot add a day');
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL, '[{"name": "元旦", "from": "2031-01-01"}]')$$,
                 '42501', NULL, 'nor load a year');
SELECT throws_ok($$DELETE FROM credit.calendar_year WHERE year = 2026$$, '42501', NULL, 'nor delete one');
RESET ROLE;
-- the rights come from grant_common(); a role granted them by hand but not
-- registered still gets nothing written (row security)
GRANT SELECT, INSERT ON credit.calendar_year, credit.calendar_day TO regress_nobody;
GRANT USAGE ON SCHEMA credit TO regress_nobody;
SET ROLE regress_nobody;
SELECT throws_ok($$INSERT INTO credit.calendar_year (year, title, issued_on) VALUES (2031, 't', '2030-11-01')$$,
                 '42501', 'new row violates row-level security policy for table "calendar_year"',
                 'row security refuses a write by a role that is not the centre');
RESET ROLE;
REVOKE ALL ON credit.calendar_year, credit.calendar_day FROM regress_nobody;
REVOKE ALL ON SCHEMA credit FROM regress_nobody;

-- ------------------------------------------------------------------
-- Bad input is refused, with nothing left behind
-- ------------------------------------------------------------------
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL,
                   '[{"name": "元旦", "from": "2030-12-31", "to": "2031-01-01"}]')$$,
                 '23514', 'day 2030-12-31 is outside calendar year 2031', 'a day outside its year');
SELECT throws_ok($$INSERT INTO credit.calendar_day (day, year, kind, name) VALUES ('2027-01-01', 2026, '放假', '元旦')$$,
                 '23514', 'day 2027-01-01 is outside calendar year 2026', 'a day outside its year, inserted directly');
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL,
                   '[{"name": "春节", "from": "2031-01-22", "to": "2031-01-28"}, {"name": "另一节", "from": "2031-01-28"}]')$$,
                 '23505', 'day 2031-01-28 is listed twice for calendar year 2031', 'a duplicate day');
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL,
                   '[{"name": "春节", "from": "2031-01-22", "to": "2031-01-28", "working": ["2031-01-27"]}]')$$,
                 '23505', 'day 2031-01-27 is listed twice for calendar year 2031', 'a working day inside the holiday period');
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL,
                   '[{"name": "春节", "from": "2031-01-22", "to": "2031-01-28", "working": ["2031-01-20"]}]')$$,
                 '23514', '调休 working day 2031-01-20 is not a Saturday or Sunday', 'a 调休 working day on a weekday');
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL,
                   '[{"name": "春节", "from": "2031-01-28", "to": "2031-01-22"}]')$$,
                 '22023', 'holiday 春节 ends (2031-01-22) before it starts (2031-01-28)', 'a period that ends before it starts');
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL,
                   '[{"name": "春节", "form": "2031-01-22"}]')$$,
                 '22023', NULL, 'a misspelt key');
SELECT throws_ok($$SELECT credit.load_calendar_year(2031, 't', NULL, '2030-11-01', NULL, '{}')$$,
                 '22023', 'holidays must be a non-empty JSON array', 'holidays that are not an array');
SELECT throws_ok($$INSERT INTO credit.calendar_day (day, year, kind, name) VALUES ('2026-10-01', 2026, '放假', '国庆节')$$,
                 '23505', NULL, 'a day stored twice');
SELECT is((SELECT count(*)::integer FROM credit.calendar_year WHERE year = 2031), 0, 'nothing was left behind');

-- ------------------------------------------------------------------
-- pg_dump keeps what the DBA loaded, not the shipped rows
-- ------------------------------------------------------------------
SELECT results_eq($$SELECT c.relname::text COLLATE "default", e.cond COLLATE "default" FROM pg_extension x, unnest(x.extconfig, x.extcondition) AS e(cfg, cond)
                    JOIN pg_class c ON c.oid = e.cfg
                    WHERE x.extname = 'credit' AND c.relname IN ('calendar_year', 'calendar_day') ORDER BY 1$$,
                  $$VALUES ('calendar_day', 'WHERE NOT shipped'), ('calendar_year', 'WHERE NOT shipped')$$,
                  'the calendar tables are dumped without their shipped rows');

-- ------------------------------------------------------------------
-- The legal date: days are counted in Beijing (credit.timezone), whatever
-- the session's TimeZone
-- ------------------------------------------------------------------
SET TimeZone = 'UTC';
SELECT results_eq($$SELECT credit.legal_date(t) FROM (VALUES (timestamptz '2026-12-01 15:59:59+00'),
                                                             ('2026-12-01 16:00:00+00'), ('2026-12-01 23:30:00+00'),
                                                             ('2026-12-01 07:00:00+08')) AS v(t)$$,
                  $$VALUES (date '2026-12-01'), ('2026-12-02'), ('2026-12-02'), ('2026-12-01')$$,
                  'a UTC session: 23:59:59 Beijing is still the 1st, 00:00 Beijing is the 2nd, 07:30 Beijing the 2nd');
SET TimeZone = 'America/Los_Angeles';
SELECT is(credit.legal_date('2026-12-01 23:30:00+08'), '2026-12-01'::date, 'a Pacific session gets the same date');
RESET TimeZone;
SET credit.timezone = 'UTC';
SELECT is(credit.legal_date('2026-12-01 23:30:00+00'), '2026-12-01'::date, 'credit.timezone decides the legal date');
RESET credit.timezone;
SELECT is(credit.legal_date(), (now() AT TIME ZONE 'Asia/Shanghai')::date, 'today is the date of the transaction''s start in Beijing');
-- a change of credit.timezone inside a transaction is followed at once
-- (UTC+14 and UTC-11 are 25 hours apart: their dates always differ)
BEGIN;
SELECT is(credit.legal_date(), (now() AT TIME ZONE 'Asia/Shanghai')::date, 'today in Beijing, first in the transaction');
SET LOCAL credit.timezone = 'Pacific/Kiritimati';
SELECT is(credit.legal_date(), (now() AT TIME ZONE 'Pacific/Kiritimati')::date, 'then in Kiritimati (UTC+14), in the same transaction');
SET LOCAL credit.timezone = 'Pacific/Pago_Pago';
SELECT is(credit.legal_date(), (now() AT TIME ZONE 'Pacific/Pago_Pago')::date, 'then in Pago Pago (UTC-11)');
COMMIT;
SELECT throws_ok($$SELECT credit.legal_date('infinity'::timestamptz)$$, '22008', 'an infinite time has no legal date',
                 'an infinite time is refused by name');
SET credit.legal_date = '2026-10-10';
SELECT is(credit.legal_date(), '2026-10-10'::date, 'credit.legal_date fixes today');
SELECT is(credit.is_working_day(credit.legal_date()), true, 'and the calendar counts from it (10-10 is a 调休 working Saturday)');
SET credit.legal_date = '2028-02-29';
SELECT is(credit.legal_date(), '2028-02-29'::date, 'a leap day is a legal date');
RESET credit.legal_date;
SELECT throws_ok($$SET credit.timezone = 'Mars/Olympus'$$, '22023', NULL, 'an unknown time zone is refused');
SELECT throws_ok($$SET credit.legal_date = '2026-02-29'$$, '22023', NULL, 'so is a date that does not exist');
SET ROLE regress_scjg;
SELECT throws_ok($$SET credit.legal_date = '2020-01-01'$$, '42501', NULL,
                 'a department cannot move the legal date (it would see expired records as public)');
SELECT throws_ok($$SET credit.timezone = 'Pacific/Kiritimati'$$, '42501', NULL, 'nor the legal time zone');
RESET ROLE;

SELECT * FROM finish();

\i sql/include/tap_teardown.sql
