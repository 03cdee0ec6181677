-- The conformance corpus (sql/data/resident_id.tsv): every number gets the
-- expected verdict and canonical form, and every refused number is refused
-- for its stated reason.
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;
SET search_path = credit, public;

CREATE TEMP TABLE corpus (code text, expected text, canonical text, source_verdict text,
                          reason text, provenance text);
\copy corpus FROM 'sql/data/resident_id.tsv' WITH (FORMAT csv, DELIMITER E'\t', HEADER true, QUOTE E'\x01')

CREATE FUNCTION pg_temp.try_rid(code text, OUT verdict text, OUT canonical text,
                                OUT message text, OUT detail text) AS $$
BEGIN
    canonical := code::credit.resident_id::text;
    verdict := 'valid';
EXCEPTION WHEN invalid_text_representation THEN
    GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    verdict := 'invalid';
END
$$ LANGUAGE plpgsql;

CREATE TEMP TABLE judged AS
SELECT c.code, c.expected, c.canonical AS expected_canonical, c.reason,
       r.verdict, r.canonical, r.message, r.detail,
       split_part(c.reason, ' ', 1) AS reason_token,
       substring(c.reason FROM '^checksum \(expected (.)\)') AS expected_check,
       length(regexp_replace(c.code, '[ -]', '', 'g')) AS digits
  FROM corpus c, LATERAL pg_temp.try_rid(c.code) r;

SELECT expected, count(*) FROM corpus GROUP BY 1 ORDER BY 1;
SELECT expected, reason_token, verdict, count(*) FROM judged GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- Mismatched verdicts or canonical forms: none.
SELECT code, expected, verdict, expected_canonical, canonical, message, detail
  FROM judged
 WHERE verdict <> expected OR (verdict = 'valid' AND canonical <> expected_canonical);

-- Refused for the stated reason.  A 15-digit number the corpus calls
-- "length 15" is refused by this policy for its region or date instead.
SELECT code, reason_token, message, detail
  FROM judged
 WHERE verdict = 'invalid'
   AND NOT CASE reason_token
         WHEN 'checksum' THEN message = 'invalid check character in resident identity number'
                              AND detail LIKE '%expected "' || expected_check || '".'
         WHEN 'address'  THEN message = 'invalid province code in resident identity number'
         WHEN 'date'     THEN message = 'invalid date of birth in resident identity number'
         WHEN 'format'   THEN detail LIKE 'Character % at position % is not allowed%'
         WHEN 'length'   THEN CASE WHEN digits = 15
                                   THEN message IN ('invalid province code in resident identity number',
                                                    'invalid date of birth in resident identity number')
                                   ELSE detail LIKE 'A resident identity number has 18 characters%'
                              END
         ELSE false
       END;

-- No message or detail of a refused number contains its digits.
SELECT count(*) AS leaks
  FROM judged
 WHERE verdict = 'invalid' AND length(code) >= 15
   AND (position(substr(code, 7, 8) IN coalesce(message, '') || coalesce(detail, '')) > 0
        OR position(code IN coalesce(message, '') || coalesce(detail, '')) > 0);

SELECT count(*) AS disagreements FROM judged WHERE resident_id_is_valid(code) <> (verdict = 'valid');
