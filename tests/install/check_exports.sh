#!/bin/sh
# check_exports.sh LIBHNBSIM.so SOURCE_DIR: the shared library exports exactly
# the functions the public headers declare with HNB_API (ctest exports):
# every one of them, and nothing else (no internal module function, no global,
# not the linker's __bss_start; cmake/hnbsim.map and hidden visibility).
set -eu
lib=$1 src=$2
tmp=${TMPDIR:-/tmp}/hnb-exports.$$
trap 'rm -f "$tmp".*' EXIT
nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$tmp.got"
cat "$src/model/hnbsim.h" "$src/plots/hnbsim_plots.h" "$src/report/hnbsim_report.h" | tr '\n' ' ' |
  grep -o 'HNB_API[^;(]*(' | grep -o 'hnb_[a-z0-9_]*($' | tr -d '(' | sort -u >"$tmp.want"
[ -s "$tmp.want" ] || { echo "exports: no HNB_API declaration found in the public headers"; exit 1; }
if ! cmp -s "$tmp.got" "$tmp.want"; then
  echo "exports: $lib and the public headers disagree (< exported, > declared with HNB_API):"
  diff "$tmp.got" "$tmp.want" | grep '^[<>]'
  exit 1
fi
echo "exports: $(wc -l <"$tmp.got") functions, all hnb_ and all declared in the public headers"
