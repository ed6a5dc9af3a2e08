#!/usr/bin/env bash
# System packages the tests need: Debian's chromium (browser tests, driven by
# Playwright; never a downloaded browser), poppler-utils (PDF checks) and the
# PostgreSQL client programs (pg_dump/pg_restore: `imvo backup` on PostgreSQL).
# LibreOffice Calc is optional: with it, the tests that make spreadsheets with a
# real spreadsheet program (.xlsx/.ods/.xls shapes, hidden parts, postcodes) make
# them again; without it they skip and the committed files are still read. It is
# installed where we may (root), never demanded of a developer without root.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v pg_dump >/dev/null || missing+=(postgresql-client)
# Read the font list first: `fc-list | grep -q` fails under pipefail (SIGPIPE).
fonts=$(fc-list 2>/dev/null || true)
grep -qi "Noto Sans Bengali" <<<"$fonts" || missing+=(fonts-noto-core)
grep -qi "Noto Sans CJK" <<<"$fonts" || missing+=(fonts-noto-cjk)
optional=()
command -v soffice >/dev/null || optional+=(libreoffice-calc-nogui)
if [ "$(id -u)" = 0 ]; then
  missing+=("${optional[@]}")
elif [ ${#optional[@]} -gt 0 ]; then
  echo "Optional: ${optional[*]} (the spreadsheet-making tests skip without it)" >&2
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing system packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
