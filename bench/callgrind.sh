#!/bin/sh
# callgrind.sh: instructions per projection, the measure that a shared machine
# does not disturb (docs/engine.md). Usage: sh bench/callgrind.sh HNBSIM [N]
# Prints, for each case, the instructions of a deterministic run and the
# instructions per Monte Carlo path (the difference between N and 2N paths on
# one thread, over N), from `valgrind --tool=callgrind`.
set -eu
bin=$1 n=${2:-200}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_large.py" > "$tmp/large.json"
ir() { # callgrind's instruction count of one hnbsim run
    valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$bin" run "$@" --out "$tmp/out" \
        --threads 1 --no-charts --no-spreadsheets --quiet 2>&1 | sed -n 's/.*Collected : *//p'
}
printf '%-28s %16s %16s\n' case "deterministic Ir" "Ir per path"
for c in "sutton (3 scenarios)|" "sutton plan, count noise|$here/sutton-noise.json" "114 placements, count noise|$tmp/large.json"; do
    name=${c%%|*} file=${c#*|}
    d=$(ir $file)
    a=$(ir $file --paths "$n" --seed 1)
    b=$(ir $file --paths $((2 * n)) --seed 1)
    printf '%-28s %16s %16s\n' "$name" "$d" "$(((b - a) / n))"
done
