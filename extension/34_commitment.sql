-- The install script, part 34: layer 3, credit commitments (信用承诺) of
-- subjects, of every kind: the table.  The commitment machine, its code,
-- make_commitment / assess_commitment / commitment_eligible and the public
-- view are in 64_commitments.sql (docs/commitments.md); a repair
-- application records a 信用修复型 one (53_repair.sql, which also restores
-- a record's publicity when such a commitment is broken); row security:
-- 90_row_security.sql; privileges: 91_privileges.sql.  The columns after
-- broken_reason came with 0.2 (credit--0.1--0.2.sql adds them in this
-- order, and fills them for the rows of 0.1).

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
    code           text NOT NULL,
    reason         text,
    matter_code    text,
    department_id  integer,
    liability      text,
    made_on        date NOT NULL DEFAULT credit.legal_date(),
    valid_until    date,
    check_due      date,
    check_exempt   boolean NOT NULL DEFAULT false,
    licence_record_id bigint,
    state          text NOT NULL DEFAULT '已作出',
    state_reason   text,
    state_since    timestamptz NOT NULL DEFAULT now(),
    check_deadline date,
    liability_deadline date,
    assessed_on    date,
    assessed_department_id integer,
    unfulfilled    text,
    liability_pursued text,
    licence_flagged_on date,
    CHECK ((broken_at IS NULL) = (broken_reason IS NULL)),
    CONSTRAINT commitment_code_key UNIQUE (code),
    CONSTRAINT commitment_code_format CHECK (code ~ '^[0-9]{20}$'),
    CONSTRAINT commitment_texts CHECK (btrim(reason) <> '' AND btrim(liability) <> '' AND btrim(unfulfilled) <> ''
                                       AND btrim(liability_pursued) <> ''),
    CONSTRAINT commitment_department_id_fkey FOREIGN KEY (department_id) REFERENCES credit.department,
    CONSTRAINT commitment_assessed_department_id_fkey FOREIGN KEY (assessed_department_id) REFERENCES credit.department,
    CONSTRAINT commitment_licence_record_id_fkey FOREIGN KEY (licence_record_id) REFERENCES credit.record,
    CONSTRAINT commitment_check_plan CHECK (NOT (check_exempt AND check_due IS NOT NULL)),
    CONSTRAINT commitment_dates CHECK (valid_until >= made_on AND check_due >= made_on)
);
CREATE INDEX commitment_subject ON credit.commitment (subject_id);
CREATE INDEX commitment_department ON credit.commitment (department_id);
COMMENT ON TABLE credit.commitment IS '信用承诺 (credit commitments of subjects, of every kind, each moved by the commitment machine; a repair application records a 信用修复型 one)';
COMMENT ON COLUMN credit.commitment.commitment_id IS '承诺编号 (internal id)';
COMMENT ON COLUMN credit.commitment.subject_id IS '承诺主体 (subject)';
COMMENT ON COLUMN credit.commitment.kind IS '承诺类型 (审批替代型, 容缺受理型, 证明事项型, 信用修复型, 行业自律型, 主动型, 其他)';
COMMENT ON COLUMN credit.commitment.content IS '承诺内容 (what the subject commits to)';
COMMENT ON COLUMN credit.commitment.disclosure IS '公开范围 (可向社会公开: the public; 特定范围内公开: departments; 不可公开: the accepting department and the centre)';
COMMENT ON COLUMN credit.commitment.made_at IS '承诺时间 (made at)';
COMMENT ON COLUMN credit.commitment.performance IS '履行情况 (全部履行, 部分履行, 全部未履行; NULL: not assessed; set by the machine)';
COMMENT ON COLUMN credit.commitment.broken_at IS '违诺时间 (when a breach (部分履行 or 全部未履行) was recorded; set by the machine)';
COMMENT ON COLUMN credit.commitment.broken_reason IS '违诺情况 (the breach)';
COMMENT ON COLUMN credit.commitment.code IS '承诺编码 (20 digits: the accepting department''s 6-digit division (from its 统一社会信用代码; 000000 without one), the 8-digit legal date it was made, a 6-digit serial of that division and day)';
COMMENT ON COLUMN credit.commitment.reason IS '承诺事由 (why the commitment is made, e.g. the application it stands for)';
COMMENT ON COLUMN credit.commitment.matter_code IS '承诺事项 (the matter of credit.matter it is made for; NULL: none)';
COMMENT ON COLUMN credit.commitment.department_id IS '受理单位 (the accepting department; NULL: the credit centre)';
COMMENT ON COLUMN credit.commitment.liability IS '违诺责任 (the liability the subject accepts for a breach)';
COMMENT ON COLUMN credit.commitment.made_on IS '作出日期 (the legal date it was made)';
COMMENT ON COLUMN credit.commitment.valid_until IS '有效期至 (valid until, inclusive; NULL: no end)';
COMMENT ON COLUMN credit.commitment.check_due IS '核查日期 (事后核查 plan: the check starts by this date; NULL: exempt or not planned)';
COMMENT ON COLUMN credit.commitment.check_exempt IS '免于核查 (the check plan exempts it)';
COMMENT ON COLUMN credit.commitment.licence_record_id IS '所涉许可 (for 审批替代型: the licence record the commitment enabled, set once)';
COMMENT ON COLUMN credit.commitment.state IS '状态 (已作出, 核查中, 已履行, 部分履行, 未履行, 违诺处理, 已修复; changes only through credit.transition)';
COMMENT ON COLUMN credit.commitment.state_reason IS '状态原因 (reason of the last transition)';
COMMENT ON COLUMN credit.commitment.state_since IS '状态时间 (when the state was entered)';
COMMENT ON COLUMN credit.commitment.check_deadline IS '核查时限 (the check ends by: working days after it starts)';
COMMENT ON COLUMN credit.commitment.liability_deadline IS '违诺处理时限 (liability is pursued by: working days after the breach is found)';
COMMENT ON COLUMN credit.commitment.assessed_on IS '认定日期 (the legal date its performance was found)';
COMMENT ON COLUMN credit.commitment.assessed_department_id IS '认定单位 (the department that found its performance; NULL: the centre)';
COMMENT ON COLUMN credit.commitment.unfulfilled IS '未履行内容 (what was not performed, for 部分履行 and 全部未履行)';
COMMENT ON COLUMN credit.commitment.liability_pursued IS '违诺责任追究 (how the liability was pursued: 限期整改, 中止办理, 撤销, penalty, measures)';
COMMENT ON COLUMN credit.commitment.licence_flagged_on IS '许可待处理标记 (审批替代型 broken: the legal date the licence it enabled was flagged to its department; the revocation itself is a new record)';
COMMENT ON CONSTRAINT commitment_code_format ON credit.commitment IS '承诺编码为20位数字 (the code is 20 digits: division 6, date 8, serial 6)';
COMMENT ON CONSTRAINT commitment_texts ON credit.commitment IS '文字不得为空白 (reason, liability, unfulfilled content and liability pursued are not blank when given)';
COMMENT ON CONSTRAINT commitment_check_plan ON credit.commitment IS '核查计划: 核查日期或免于核查 (the check plan is a due date or an exemption, not both)';
COMMENT ON CONSTRAINT commitment_dates ON credit.commitment IS '有效期和核查日期不早于作出日期 (valid until and the check date are not before the day it was made)';

-- A commitment is never deleted, and its content never changes: the
-- machine moves its state (its own columns, 64_commitments.sql), a breach
-- is recorded once and the licence it enabled is named once.
CREATE TRIGGER commitment_content BEFORE UPDATE OR DELETE ON credit.commitment
    FOR EACH ROW EXECUTE FUNCTION credit.keep_content('commitments', '',
        'Only its performance is assessed, and a breach recorded once, with credit.record_commitment_breach(commitment_id, reason).',
        'performance', 'once:broken_at', 'once:broken_reason', 'once:licence_record_id',
        'state', 'state_reason', 'state_since', 'check_deadline', 'liability_deadline', 'once:assessed_on',
        'once:assessed_department_id', 'once:unfulfilled', 'once:liability_pursued', 'once:licence_flagged_on');

SELECT pg_catalog.pg_extension_config_dump('credit.commitment', '');
