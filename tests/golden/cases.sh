#!/bin/sh
# The golden cases: every results file hnbsim's golden test compares byte for
# byte. Usage: sh tests/golden/cases.sh HNBSIM_BINARY SOURCE_DIR OUT_DIR
# Writes OUT_DIR/<case>.json for each case. Run from anywhere.
set -eu
bin=$1 src=$2 out=$3
mkdir -p "$out"
export SOURCE_DATE_EPOCH=1795392000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
one() { # name, then hnbsim run arguments
    name=$1; shift
    (cd "$src" && "$bin" run "$@" --out "$tmp/$name" --no-charts --no-spreadsheets --quiet)
    cp "$tmp/$name/results.json" "$out/$name.json"
}
one sutton-deterministic
one sutton-mc10000 --paths 10000 --seed 1 --threads 2
for f in "$src"/tests/data/*.json; do
    n=$(basename "$f" .json)
    [ "$n" = results-fixture ] && continue
    one "$n" "tests/data/$n.json"
    one "$n-mc" "tests/data/$n.json" --paths 400 --seed 7 --threads 3
done
