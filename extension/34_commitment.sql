-- The install script, part 34: layer 3, credit commitments (信用承诺) of
-- subjects.  A repair application records a 信用修复型 one
-- (53_repair.sql, which also restores a record's publicity when such a
-- commitment is broken); row security: 90_row_security.sql; privileges:
-- 91_privileges.sql.

CREATE TABLE credit.commitment (
    commitment_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_id     bigint NOT NULL REFERENCES credit.subject,
    kind           text NOT NULL CHECK (kind IN ('审批替代型', '容缺受理型', '证明事项型', '信用修复型', '行业自律型', '主动型', '其他')),
    content        text NOT NULL CHECK (btrim(content) <> ''),
    disclosure     text NOT NULL DEFAULT '特定范围内公开' CHECK (disclosure IN ('可向社会公开', '特定范围内公开', '不可公开')),
    made_at        timestamptz NOT NULL DEFAULT now(),
    performance    text CHECK (performance IN ('全部履行', '部分履行', '全部未履行')),
    broken_at      timestamptz,
    broken_reason  text,
    CHECK ((broken_at IS NULL) = (broken_reason IS NULL))
);
CREATE INDEX commitment_subject ON credit.commitment (subject_id);
COMMENT ON TABLE credit.commitment IS '信用承诺 (credit commitments of subjects; a repair application records a 信用修复型 one)';
COMMENT ON COLUMN credit.commitment.commitment_id IS '承诺编号 (internal id)';
COMMENT ON COLUMN credit.commitment.subject_id IS '承诺主体 (subject)';
COMMENT ON COLUMN credit.commitment.kind IS '承诺类型 (审批替代型, 容缺受理型, 证明事项型, 信用修复型, 行业自律型, 主动型, 其他)';
COMMENT ON COLUMN credit.commitment.content IS '承诺内容 (what the subject commits to)';
COMMENT ON COLUMN credit.commitment.disclosure IS '公开范围 (可向社会公开, 特定范围内公开, 不可公开)';
COMMENT ON COLUMN credit.commitment.made_at IS '承诺时间 (made at)';
COMMENT ON COLUMN credit.commitment.performance IS '履行情况 (全部履行, 部分履行, 全部未履行; NULL: not assessed)';
COMMENT ON COLUMN credit.commitment.broken_at IS '违诺时间 (when a breach was recorded)';
COMMENT ON COLUMN credit.commitment.broken_reason IS '违诺情况 (the breach)';

-- A commitment is never changed or deleted: its performance is assessed,
-- and a breach is recorded once.
CREATE TRIGGER commitment_content BEFORE UPDATE OR DELETE ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('commitments', '',
        'Only its performance is assessed, and a breach recorded once, with credit.record_commitment_breach(commitment_id, reason).',
        'performance', 'once:broken_at', 'once:broken_reason');

CREATE FUNCTION credit.record_commitment_breach(commitment_id bigint, reason text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF reason IS NULL OR btrim(reason) = '' THEN
        RAISE EXCEPTION 'a breach needs a description' USING ERRCODE = 'not_null_violation';
    END IF;
    UPDATE credit.commitment c SET broken_at = now(), broken_reason = reason, performance = '全部未履行'
     WHERE c.commitment_id = record_commitment_breach.commitment_id AND c.broken_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'commitment % is not an unbroken commitment you can see', commitment_id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
END
$$;
COMMENT ON FUNCTION credit.record_commitment_breach(bigint, text) IS '记录违诺 (record the breach of a commitment, as the calling role: the centre or the department that decided the repair; a 信用修复型 breach restores the record''s publicity to its maximum)';

SELECT pg_catalog.pg_extension_config_dump('credit.commitment', '');
