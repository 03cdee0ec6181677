#!/usr/bin/env bash
# Installs, from Debian's packages, whatever building, testing and running
# credit needs and this machine lacks.  Safe to run again: it installs
# nothing when everything is there.
#   scripts/bootstrap.sh                       the packages below
#   scripts/bootstrap.sh graphviz fonts-noto-cjk   those and the ones named
# (scripts/render_diagrams.sh asks for graphviz and a CJK font that way).
set -euo pipefail

packages=(
    postgresql-15               # server binaries: initdb, pg_ctl, postgres
    postgresql-server-dev-15    # pg_config, PGXS, pg_regress, pg_isolation_regress
    postgresql-15-pgtap         # pgTAP, for the tests
    libicu-dev                  # ICU headers (normalize_name)
    pkg-config                  # finds ICU
    gcc make                    # the compiler
    locales                     # C.UTF-8 for the throwaway cluster
    "$@"                        # what the caller needs besides
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "bootstrap: missing Debian packages: ${missing[*]}" >&2
        echo "bootstrap: run as root, or: sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "bootstrap: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The server binaries are not on PATH on Debian; pg_config is.
command -v pg_config >/dev/null || { echo "bootstrap: pg_config not found" >&2; exit 1; }
