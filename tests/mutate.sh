#!/bin/sh
# mutate.sh: a mutation check of the test suite itself (issue 22). Not run by ctest.
#
# Each mutant below is one semantic fault planted in one model file by one sed
# expression (a weight, an off-by-one in a year or an age, an inverted comparison, a
# dropped term, swapped indices), across the engine, money, capacity, the funding
# regime (position.c, reform.c), attribution, Monte Carlo, the back-test and
# calibration. The script copies the tree (without build/) to a temporary folder,
# builds it once (a plain build, -j2) and checks that the unmutated suite passes; then
# for each mutant it restores the pristine file, applies the sed expression (a mutant
# that changes nothing is reported NOT-APPLIED, so a stale expression cannot pass as
# caught), rebuilds there (incrementally: only the mutated file and the links) and
# runs ctest, stopping at the first failing test. A failing (or crashing, or timed
# out) suite catches the mutant; a passing one lets it survive.
#
# The tests run are the model's: every ctest test except those matching SKIP, by
# default the ones that exercise no mutated file or read no model figure: charts and
# report (slow: gnuplot, chromium), import (slow; run mutant 38 with SKIP set without it),
# layout, sen2_check (the scenario file against SEN2), plausible, compare_files and
# outputs (input checks and output folders). Run two at a time (ctest -j2). Usage, from the source tree:
#     sh tests/mutate.sh [SRC] [WORK]      # SRC defaults to ., WORK to a mktemp -d
#     MUTANTS="3 7" sh tests/mutate.sh     # only mutants 3 and 7 (by number)
# It prints one line per mutant (number, CAUGHT/SURVIVED/NOT-APPLIED, the failing
# test, file, description) and a score line; exit 0 when every applied mutant is
# caught. On a shared 2-core machine a mutant takes about 1 to 3 minutes.
set -u
SRC=$(cd "${1:-.}" && pwd)
WORK=${2:-$(mktemp -d /tmp/hnb-mutate.XXXXXX)}
SKIP=${SKIP:-test_charts|test_report|test_import|layout|sen2_check|plausible|compare_files|outputs}
TIMEOUT=${TIMEOUT:-600}

# number@file@sed expression@what it breaks  (no field contains '@')
LIST=$(cat <<'EOF'
1@model/analysis/montecarlo.c@s/pct\[k\] \* (double)(n - 1)/pct[k] * (double)n/@percentile position q*n instead of q*(n-1)
2@model/analysis/montecarlo.c@s/sqrt(1.0 - u->loading \* u->loading)/(1.0 - u->loading * u->loading)/@square root dropped in the shared-factor blend
3@model/analysis/montecarlo.c@s/j->deliver\[k\]) < pdel/j->deliver[k]) > pdel/@delivery test inverted
4@model/analysis/montecarlo.c@s/p->cumulative\[j->oi\] < -s->deficit_threshold/p->cumulative[j->oi] > -s->deficit_threshold/@deficit-beyond-threshold probability flipped
5@model/analysis/montecarlo.c@s/p->in_year\[k\] >= 0.0) bal = 1/p->in_year[k] < 0.0) bal = 1/@in-year balance probability inverted
6@model/analysis/montecarlo.c@s/s->first_fy + k <= s->balance_by_fy/s->first_fy + k < s->balance_by_fy/@balance_by year off by one
7@model/analysis/montecarlo.c@s/double z = u->loading \* wk->zf/double z = -u->loading * wk->zf/@loading's sign reversed
8@model/analysis/montecarlo.c@s/stat\[0\] = x0 + acc \/ (double)n/stat[0] = x0 + acc \/ (double)(n - 1)/@mean divided by n-1
9@model/analysis/montecarlo.c@s/frac == 0.0 || a == b ? a : a + frac \* (b - a)/a/@percentile interpolation dropped
10@model/engine/money.c@s/5.0 \/ 12.0 \* a0 + 7.0 \/ 12.0 \* a1/7.0 \/ 12.0 * a0 + 5.0 \/ 12.0 * a1/@5/12 and 7/12 census weights swapped
11@model/engine/money.c@s/spend\[p\] = x - adj\[p\]/spend[p] = x + adj[p]/@an action's saving on a line added, not taken off
12@model/engine/money.c@s/for (int i = 0; i < S; i++) st += spend\[i\]/for (int i = 1; i < S; i++) st += spend[i]/@first spend line dropped from the total (index off by one)
13@model/engine/position.c@s/out->interest\[k\] = avg > 0.0 ?/out->interest[k] = avg < 0.0 ?/@interest charged on a surplus, not a deficit
14@model/engine/position.c@s/double avg = -(open + out->cumulative\[k\]) \/ 2.0/double avg = -(open + out->cumulative[k])/@interest on the sum, not the mean, of opening and closing
15@model/engine/position.c@s/out->cumulative\[k\] = open + out->in_year\[k\] + w;/out->cumulative[k] = open + out->in_year[k];/@write-off dropped from the cumulative
16@model/engine/position.c@s/out->fund_total\[b\] + phi \* (S/out->fund_total[b] + (S/@funding regime: the share phi of growth dropped
17@model/engine/position.c@s/(fy_start_months(fy + 1) - s->regime_from)/(fy_start_months(fy) - s->regime_from)/@funding regime's share of the year off by one year
18@model/engine/position.c@s/(ivs\[i\].start - 3.0) \/ 12.0) == fy)/(ivs[i].start - 3.0) \/ 12.0) == fy + 1)/@write-off paid a year late
19@model/engine/position.c@s/7.0 \/ 12.0 \* isp1) \* par_val/5.0 \/ 12.0 * isp1) * par_val/@ISP cost: 7/12 weight replaced by 5/12
20@model/engine/reform.c@s/isp_exit)) + diverted;/isp_exit));/@ISP step: the diverted children dropped
21@model/engine/reform.c@s/keep \*= 1.0 - size_of/keep *= 1.0 + size_of/@ISP diversion adds plans instead of keeping them out
22@model/engine/cohort.c@s/out = x \* (1.0 - (1.0 - c\[p\]) \* kp)/out = x * ((1.0 - c[p]) * kp)/@leavers: ceasing share replaced by its complement
23@model/engine/cohort.c@s/double \*restrict to = next + (size_t)(a + 1) \* GP/double *restrict to = next + (size_t)a * GP/@children do not age a year (age index off by one)
24@model/engine/cohort.c@s/row\[p\] += xp \* rw->stay/row[p] += xp/@moves: the staying share replaced by everyone
25@model/engine/joiners.c@s/J = total_now \* b - survivors/J = total_now * b/@stock-driven joiners: survivors not taken off
26@model/engine/capacity.c@s/double admit = cap > stay ? cap - stay : 0.0/double admit = cap > stay ? cap : 0.0/@capacity: the children already placed not taken off the places
27@model/engine/capacity.c@s/double take = spare < pool ? spare : pool/double take = spare > pool ? spare : pool/@capacity backfill: the larger of spare and pool taken
28@model/analysis/attribution.c@s/ph += m\[t\] \/ 2.0/ph += m[t]/@attribution: half-year weight of the peak dropped
29@model/analysis/attribution.c@s/if ((int)t <= oi) pe += m\[t\] \/ 2.0/if ((int)t < oi) pe += m[t] \/ 2.0/@attribution: the override's last year left out (off by one)
30@model/analysis/backtest.c@s/census - s->census0 - 1;/census - s->census0;/@back-test: census year index off by one
31@model/analysis/backtest.c@s/c->sd = pass ? 1.0e6 : 0.5e6/c->sd = pass ? 0.5e6 : 1.0e6/@calibration residual scales swapped (in-year and cumulative)
32@model/analysis/backtest.c@s/c->model = pass ? p->cumulative\[k\] : p->in_year\[k\]/c->model = pass ? p->in_year[k] : p->cumulative[k]/@back-test: in-year and cumulative swapped
33@model/analysis/backtest.c@s/int k = a->fy - s->first_fy;/int k = a->fy - s->first_fy - 1;/@back-test: financial year index off by one
34@model/analysis/calibrate.c@s/out->se\[j\] = sqrt(gsl_matrix_get(cov, k, k))/out->se[j] = (gsl_matrix_get(cov, k, k))/@calibration: standard error without the square root
35@model/analysis/calibrate.c@s/(f->c\[i\].model - f->c\[i\].actual) \/ f->c\[i\].sd/(f->c[i].model - f->c[i].actual)/@calibration: residuals not divided by their scale
36@model/analysis/sweep_oat.c@s/return x->swing < y->swing ? 1 : -1/return x->swing > y->swing ? 1 : -1/@tornado: bars sorted smallest swing first
37@model/analysis/sweep_oat.c@s/ord\[j\].swing = fabs(out\[(2 + 2 \* j) \* nf + m\] - out\[(1 + 2 \* j) \* nf + m\]);/ord[j].swing = out[(2 + 2 * j) * nf + m] - out[(1 + 2 * j) * nf + m];/@tornado: the swing's absolute value dropped
38@model/import/growth.c@s/g->growth = est_predict(g, g->b);/g->growth = g->nat3;/@import: the growth's relative term (pooling, requests, ages, new plans) dropped
EOF
)

echo "mutate.sh: copying $SRC to $WORK/src" >&2
mkdir -p "$WORK"
rm -rf "$WORK/src"
mkdir "$WORK/src"
(cd "$SRC" && tar cf - --exclude=./build --exclude=./build-* --exclude=./.git .) | (cd "$WORK/src" && tar xf -)
cd "$WORK/src" || exit 2
B="$WORK/build"
run_suite() {
    (cmake --build "$B" -j2 >"$WORK/build.log" 2>&1) || { echo "build"; return 1; }
    out=$(ctest --test-dir "$B" -j2 -E "$SKIP" --stop-on-failure --timeout "$TIMEOUT" 2>&1)
    rc=$?
    echo "$out" >"$WORK/ctest.log"
    if [ $rc -ne 0 ]; then
        echo "$out" | sed -n 's/.*Test *#[0-9]*: \([^ ]*\) .*\*\*\*.*/\1/p' | head -1
        return 1
    fi
    return 0
}
cmake -S . -B "$B" >"$WORK/cmake.log" 2>&1 || { echo "mutate.sh: cmake failed, see $WORK/cmake.log" >&2; exit 2; }
if ! why=$(run_suite); then
    echo "mutate.sh: the unmutated suite fails ($why); see $WORK/ctest.log" >&2
    exit 2
fi
caught=0 survived=0 skipped=0 total=0
echo "$LIST" | while IFS='@' read -r num file expr what; do
    [ -n "$num" ] || continue
    if [ -n "${MUTANTS:-}" ]; then
        case " $MUTANTS " in *" $num "*) ;; *) continue ;; esac
    fi
    cp "$file" "$WORK/pristine"
    sed -e "$expr" "$WORK/pristine" >"$file"
    if cmp -s "$file" "$WORK/pristine"; then
        printf '%2s NOT-APPLIED %-14s %s: %s\n' "$num" "-" "$file" "$what"
    elif why=$(run_suite); then
        printf '%2s SURVIVED    %-14s %s: %s\n' "$num" "-" "$file" "$what"
    else
        printf '%2s CAUGHT      %-14s %s: %s\n' "$num" "${why:-?}" "$file" "$what"
    fi
    cp "$WORK/pristine" "$file"
    touch "$file"
done | tee "$WORK/report.txt"
cmake --build "$B" -j2 >/dev/null 2>&1
c=$(grep -c ' CAUGHT ' "$WORK/report.txt")
s=$(grep -c ' SURVIVED ' "$WORK/report.txt")
n=$(grep -c ' NOT-APPLIED ' "$WORK/report.txt")
echo "score: $c caught of $((c + s)) applied ($s survived, $n not applied); report in $WORK/report.txt"
[ "$s" -eq 0 ] && [ "$n" -eq 0 ]
