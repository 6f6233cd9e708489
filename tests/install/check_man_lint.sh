#!/bin/sh
# check_man_lint.sh MAN_PAGE: the man page renders without a warning (ctest
# man_lint): groff with every warning on (-ww) must print nothing, and so must
# man -l (man-db, which also runs preconv and tbl).
set -eu
page=$1
command -v groff >/dev/null 2>&1 || { echo "man_lint: groff not found (expected groff-base: scripts/setup)"; exit 1; }
out=$(groff -ww -z -man "$page" 2>&1)
[ -z "$out" ] || { echo "man_lint: groff -ww -z -man $page:"; echo "$out"; exit 1; }
if command -v man >/dev/null 2>&1; then
  out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$out" ] || { echo "man_lint: man --warnings -l $page:"; echo "$out"; exit 1; }
  lines=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$page" 2>/dev/null | wc -l)
  [ "$lines" -gt 100 ] || { echo "man_lint: man -l $page rendered only $lines lines"; exit 1; }
else
  echo "man_lint: man not found (expected man-db: scripts/setup)"; exit 1
fi
echo "man_lint: $page renders without warnings ($lines lines at 80 columns)"
