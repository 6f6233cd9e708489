#!/bin/sh
# national_mpi.sh BIN MPIEXEC SRC WORK: `hnbsim national` under mpirun -np 2 and
# -np 3 (the authorities dealt out to the ranks) writes the same bytes as one
# process: national.json, national.csv and national.xlsx (and so does the
# Slurm example, examples/hnbsim.sbatch, with mpirun for srun), every authority of
# England with a few Monte Carlo paths each (4: enough to exercise the
# percentiles, few enough to stay fast), 1 and 2 threads a rank.
set -eu
bin=$1 mpiexec=$2 src=$3 work=$4
mpirun() { timeout 900 "$mpiexec" --allow-run-as-root --oversubscribe "$@"; }
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$bin" national --paths 4 --threads 1 --quiet --out np1 >np1.txt
for k in 2 3; do
  mpirun -np "$k" "$bin" national --paths 4 --threads $((k - 1)) --quiet --out "np$k" >"np$k.txt"
  diff -r np1 "np$k"
  # the summary printed is rank 0's alone, the same but for the wall time
  diff np1.txt "np$k.txt" | grep -v 'wall time\|Results:\|^---\|^[0-9]' && exit 1
  echo "mpirun -np $k: national byte-identical to one process"
done
# the Slurm example, launched by mpirun in place of srun, gives the same files
LAUNCH="timeout 900 $mpiexec --allow-run-as-root --oversubscribe -np 3" HNBSIM="$bin" \
  sh "$src/examples/hnbsim.sbatch" national --paths 4 --threads 1 --out sbatch >sbatch.txt
diff -r np1 sbatch
echo "examples/hnbsim.sbatch (mpirun for srun): national byte-identical to one process"
# an authority that fails on a worker: rank 0 tells the worker's message,
# the same as one process's, and nothing is written
if "$bin" national --census 2019 --quiet --out bad1 2>err1.txt; then exit 1; fi
if mpirun -np 3 "$bin" national --census 2019 --quiet --out bad3 >/dev/null 2>err3.txt; then exit 1; fi
grep '^hnbsim: error:' err1.txt >want.txt
grep '^hnbsim: error:' err3.txt >got.txt
diff want.txt got.txt
test ! -e bad1 && test ! -e bad3
echo "mpirun -np 3: a failed authority's message is one process's"
