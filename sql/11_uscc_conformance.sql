-- The conformance corpus (sql/data/uscc.tsv, sources in sql/data/README.md):
-- every code gets the expected verdict, and every refused code is refused
-- for its stated reason (with the stated expected check character).
\set VERBOSITY default
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS credit;
RESET client_min_messages;
SET search_path = credit, public;

CREATE TEMP TABLE corpus (code text, expected text, source_verdict text, reason text, provenance text);
\copy corpus FROM 'sql/data/uscc.tsv' WITH (FORMAT csv, DELIMITER E'\t', HEADER true, QUOTE E'\x01')

-- Parse each code through the type's input and capture what happened.
CREATE FUNCTION pg_temp.try_uscc(code text, OUT verdict text, OUT canonical text,
                                 OUT message text, OUT detail text) AS $$
BEGIN
    canonical := code::credit.uscc::text;
    verdict := 'valid';
EXCEPTION WHEN invalid_text_representation THEN
    GET STACKED DIAGNOSTICS message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
    verdict := 'invalid';
END
$$ LANGUAGE plpgsql;

CREATE TEMP TABLE judged AS
SELECT c.*, r.*,
       split_part(c.reason, ' ', 1) AS reason_token,
       substring(c.reason FROM '^checksum \(expected (.)\)') AS expected_check
  FROM corpus c, LATERAL pg_temp.try_uscc(c.code) r;

-- The whole corpus is here.
SELECT expected, count(*) FROM corpus GROUP BY 1 ORDER BY 1;

-- Verdicts by expected verdict and stated reason.
SELECT expected, reason_token, verdict, count(*)
  FROM judged GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- Mismatched verdicts: none.
SELECT code, expected, verdict, message, detail FROM judged WHERE verdict <> expected;

-- Refused for the stated reason: none refused for another.
SELECT code, reason_token, message, detail
  FROM judged
 WHERE verdict = 'invalid'
   AND NOT CASE reason_token
         WHEN 'checksum'  THEN message LIKE 'invalid check character in uscc:%'
                               AND detail LIKE '%expected "' || expected_check || '".'
         WHEN 'length'    THEN detail LIKE 'A unified social credit code has 18 characters%'
         WHEN 'charset'   THEN detail LIKE 'Character % at position % is not one of the 31 code symbols%'
         WHEN 'authority' THEN message LIKE 'unknown registration authority in uscc:%'
         WHEN 'region'    THEN detail LIKE 'Positions 3-8 (division code) must be 6 digits%'
         ELSE false
       END;

-- Valid codes come out canonical: 18 symbols, upper case, no separators.
SELECT count(*) AS valid, count(*) FILTER (WHERE canonical ~ '^[0-9A-HJ-NP-RTUWXY]{18}$') AS canonical
  FROM judged WHERE verdict = 'valid';

-- uscc_is_valid(text) agrees with the type on every row.
SELECT count(*) AS disagreements FROM judged WHERE uscc_is_valid(code) <> (verdict = 'valid');

-- Valid codes whose embedded organisation code fails GB 11714 (the corpus
-- marks them org=fail): accepted, and uscc_org_code_is_valid agrees row by row.
SELECT count(*) FILTER (WHERE NOT uscc_org_code_is_valid(canonical::uscc)) AS valid_with_failing_org_code,
       count(*) FILTER (WHERE uscc_org_code_is_valid(canonical::uscc) = (reason LIKE '%org=fail%')) AS disagreements
  FROM judged WHERE verdict = 'valid';

-- In lenient mode every refused checksum and authority code is accepted,
-- flagged; the others are still refused.
SET credit.uscc_lenient = on;
SELECT reason_token, r.verdict, count(*), bool_and(right(r.canonical, 1) = '!') AS all_flagged
  FROM judged j, LATERAL pg_temp.try_uscc(j.code) r
 WHERE j.expected = 'invalid'
 GROUP BY 1, 2 ORDER BY 1, 2;
RESET credit.uscc_lenient;
