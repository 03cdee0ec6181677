#!/usr/bin/env bash
# Renders an example credit report (layer 6, docs/reports.md):
#   scripts/render_report.sh
# Installs missing Debian packages (scripts/bootstrap.sh chromium
# fonts-noto-cjk: chromium prints the document, fonts-noto-cjk has the
# glyphs), builds and installs the extension, creates it in a throwaway
# cluster (unix socket only, removed at the end), loads the demo data
# (scripts/demo_data.sql), grades the organisations (credit.eval_run; the
# firm is told of its grade), issues the standard report and the 专项 report
# of the demo firm as the portal acting for it, and writes
#   docs/examples/report-standard.html   credit.report_html(report_no)
#   docs/examples/report-special.html    the 专项 report, the same way
#   docs/examples/report-standard.pdf    printed by headless chromium
#   docs/examples/report-standard.png    a screenshot of its first page
# The documents are data of the demo (invented names and codes); run this
# again when the report's content or layout changes, and commit the files.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/bootstrap.sh chromium fonts-noto-cjk

make -s >/dev/null

# shellcheck source=scripts/cluster.sh
source scripts/cluster.sh
CLUSTER_PORT="${CLUSTER_PORT:-55435}" cluster_start
createdb credit_report
export PGDATABASE=credit_report

cluster_create_extension render_report

mkdir -p docs/examples
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
\i scripts/demo_data.sql
CREATE TABLE public.example_report (kind text PRIMARY KEY, report_no text);
GRANT INSERT ON public.example_report TO demo_portal;
-- a grade for 信用评价: the centre grades the organisations today and
-- tells the firm of its (negative) grade, which its own report shows
SET ROLE demo_centre;
SELECT credit.eval_run('公共信用综合评价', credit.legal_date()) AS example_run \gset
SELECT credit.transition('eval_result', (SELECT result_id FROM credit.eval_result
                                          WHERE batch_id = :example_run AND subject_id = :demo_firm AND state = '待告知'), '已告知');
RESET ROLE;
BEGIN;
SET LOCAL ROLE demo_portal;
SELECT credit.act_for_subject(:demo_firm);
INSERT INTO public.example_report SELECT '标准版', credit.report(:demo_firm) ->> '报告编号';
INSERT INTO public.example_report SELECT '专项版', credit.report(:demo_firm, '专项版') ->> '报告编号';
COMMIT;
SQL
for kind in standard special; do
    psql -X -A -t -v ON_ERROR_STOP=1 -v kind="$([ $kind = standard ] && echo 标准版 || echo 专项版)" \
         <<<"SELECT credit.report_html(report_no) FROM public.example_report WHERE kind = :'kind'" \
         | sed -e '$ { /^$/ d }' >"docs/examples/report-$kind.html"
    echo "docs/examples/report-$kind.html"
done
# the document must parse as XML (xmlparse), and verify
psql -X -A -t -v ON_ERROR_STOP=1 <<'SQL'
SELECT 'parses: ' || (xmlparse(DOCUMENT credit.report_html(report_no)) IS NOT NULL)
       || ', verifies: ' || credit.verify_report(report_no, (SELECT sha256 FROM credit.report_issue i WHERE i.report_no = e.report_no))
  FROM public.example_report e ORDER BY kind;
SQL

browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -n "$browser" ]; then
    profile="$(mktemp -d /tmp/credit-chromium.XXXXXX)"
    flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
           --disable-component-update --disable-sync --user-data-dir="$profile")
    page="file://$(pwd)/docs/examples/report-standard.html"
    "$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="docs/examples/report-standard.pdf" "$page" 2>/dev/null
    "$browser" "${flags[@]}" --hide-scrollbars --window-size=1000,1400 --screenshot="docs/examples/report-standard.png" "$page" 2>/dev/null
    rm -rf "$profile"
    echo "docs/examples/report-standard.pdf, docs/examples/report-standard.png"
else
    echo "render_report: no chromium, the PDF and PNG are not made" >&2
fi
