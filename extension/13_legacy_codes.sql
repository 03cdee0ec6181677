-- The install script, part 13: layer 1, identifiers: legacy codes
-- 组织机构代码 (GB 11714-1997) and 15-digit 工商注册号 (GS15-2006), the codes
-- subjects carried before 2015.  C code: extension/legacy_codes.c.
-- The organisation code inside a uscc: credit.uscc_org_code(uscc).

CREATE FUNCTION credit.org_code_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_org_code_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.org_code_is_valid(text) IS '组织机构代码是否有效 (is this a valid GB 11714 organisation code?): 9 characters with or without the hyphen, right check character, not in the private range PDY00001-PDY99999; never raises';

CREATE FUNCTION credit.org_code(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_org_code_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.org_code(text) IS '组织机构代码规范形式 (canonical organisation code XXXXXXXX-X); raises with the reason for an invalid code';

CREATE FUNCTION credit.registration_no_is_valid(text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'credit_registration_no_is_valid' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION credit.registration_no_is_valid(text) IS '工商注册号是否有效 (is this a valid 15-digit registration number?): GS15-2006, ISO 7064 MOD 11,10 check digit; never raises';

CREATE FUNCTION credit.registration_no(text) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_registration_no_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION credit.registration_no(text) IS '工商注册号规范形式 (canonical 15-digit registration number); raises with the reason for an invalid number';
