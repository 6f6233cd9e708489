#!/bin/sh
# The memory-bounded Monte Carlo (issue 22): with the budget lowered so that a
# small run takes many passes over the paths (HNB_MC_BUDGET_BYTES), the
# results are byte for byte those of the one-pass run, on 1 and 3 threads,
# with and without count noise (tests/data/example.json and hand-noise.json).
# Usage: test_mc_passes.sh HNBSIM_BINARY SOURCE_DIR WORK_DIR
set -eu
bin=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
export SOURCE_DATE_EPOCH=1795392000
status=0
for f in example hand-noise; do
    for t in 1 3; do
        (cd "$src" && "$bin" run "tests/data/$f.json" --out "$work/$f-one-$t" --paths 300 --seed 5 --threads $t \
            --no-charts --no-spreadsheets --quiet)
        # 300 paths x 8 bytes x 30 figures = 72,000 bytes: many passes
        (cd "$src" && HNB_MC_BUDGET_BYTES=72000 "$bin" run "tests/data/$f.json" --out "$work/$f-many-$t" --paths 300 \
            --seed 5 --threads $t --no-charts --no-spreadsheets --quiet)
        if cmp -s "$work/$f-one-$t/results.json" "$work/$f-many-$t/results.json"; then
            echo "ok: $f, $t threads: many passes give the one-pass bytes"
        else
            echo "FAIL: $f, $t threads: the memory-bounded run differs"
            status=1
        fi
    done
done
exit $status
