#!/bin/sh
# sweep_mpi.sh BIN MPIEXEC SRC WORK: every sweep of tests/data/sweeps/hand.json
# (tornado, spider, grid, goal seek, batch, Sobol) in one process, then under
# mpirun -np 2 and -np 3: sweep.json, sweep.xlsx and every CSV file must be
# byte-identical to the single-process run. --allow-run-as-root and
# --oversubscribe let it run as root on a machine with fewer cores than ranks.
set -eu
bin=$1 mpiexec=$2 src=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
cd "$src/tests"
"$bin" sweep data/sweeps/hand.json --out "$work/np1" --no-charts --quiet
for k in 2 3; do
  "$mpiexec" --allow-run-as-root --oversubscribe -np "$k" "$bin" sweep data/sweeps/hand.json \
    --out "$work/np$k" --no-charts --quiet
  diff -r "$work/np1" "$work/np$k"
  echo "mpirun -np $k: byte-identical to one process"
done
