-- credit--0.1.sql, part 41: layer 4, row security of the working-day
-- calendar (21_calendar.sql), like the other reference data in
-- 40_disclosure.sql, whose party groups and current_party_kind() it uses:
-- readable by every registered role, written by the credit centre.  The
-- privileges are granted by credit.grant_common() and
-- credit.register_centre_role().
ALTER TABLE credit.calendar_year ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.calendar_year FORCE ROW LEVEL SECURITY;
ALTER TABLE credit.calendar_day ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit.calendar_day FORCE ROW LEVEL SECURITY;

CREATE POLICY calendar_year_read ON credit.calendar_year FOR SELECT USING (true);
CREATE POLICY calendar_year_centre ON credit.calendar_year FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
CREATE POLICY calendar_day_read ON credit.calendar_day FOR SELECT USING (true);
CREATE POLICY calendar_day_centre ON credit.calendar_day FOR ALL TO credit_centre_parties
    USING ((SELECT credit.current_party_kind()) = '信用中心')
    WITH CHECK ((SELECT credit.current_party_kind()) = '信用中心');
COMMENT ON POLICY calendar_year_read ON credit.calendar_year IS '所有登记角色可读 (readable by every registered role)';
COMMENT ON POLICY calendar_year_centre ON credit.calendar_year IS '信用中心维护 (the centre loads calendar years)';
COMMENT ON POLICY calendar_day_read ON credit.calendar_day IS '所有登记角色可读 (readable by every registered role)';
COMMENT ON POLICY calendar_day_centre ON credit.calendar_day IS '信用中心维护 (the centre loads calendar days)';
