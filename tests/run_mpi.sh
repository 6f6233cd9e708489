#!/bin/sh
# run_mpi.sh BIN MPIEXEC SRC WORK: `hnbsim run --paths N` under mpirun -np 2
# and -np 3 writes the same bytes as one process: results.json, the workbook,
# every CSV file and the --paths-out file, for
#   - Sutton's embedded scenarios (several scenarios, savings by action, the
#     sensitivity), 3,000 paths, 2 threads against 1 and 3 threads a rank;
#   - the hand case with count noise, 777 paths (a last block shorter than
#     the others), with the memory-bounded passes forced by a small
#     HNB_MC_BUDGET_BYTES, against the one-pass single process.
# The Slurm example (examples/hnbsim.sbatch, mpirun for srun) too.
# Then the errors, and a rank that cannot load the files: a bad option and a refused output folder stop every rank
# with rank 0's message alone and no output, not a hang.
# --allow-run-as-root and --oversubscribe let it run as root on a machine
# with fewer cores than ranks.
set -eu
bin=$1 mpiexec=$2 src=$3 work=$4
mpirun() { timeout 600 "$mpiexec" --allow-run-as-root --oversubscribe "$@"; }
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$bin" run --paths 3000 --threads 2 --no-charts --quiet --out sutton1 --paths-out sutton1/paths.csv
"$bin" run "$src/tests/data/hand-noise.json" --paths 777 --threads 2 --no-charts --quiet --out noise1 \
  --paths-out noise1/paths.csv
for k in 2 3; do
  t=$((k - 1)) # 1 thread a rank with 2 ranks, 2 with 3
  mpirun -np "$k" "$bin" run --paths 3000 --threads "$t" --no-charts --quiet --out "sutton$k" \
    --paths-out "sutton$k/paths.csv"
  diff -r sutton1 "sutton$k"
  env HNB_MC_BUDGET_BYTES=20000 timeout 600 "$mpiexec" --allow-run-as-root --oversubscribe -x HNB_MC_BUDGET_BYTES \
    -np "$k" "$bin" run "$src/tests/data/hand-noise.json" \
    --paths 777 --threads "$t" --no-charts --quiet --out "noise$k" --paths-out "noise$k/paths.csv"
  diff -r noise1 "noise$k"
  echo "mpirun -np $k: run --paths byte-identical to one process"
done
# errors: rank 0's message once, a non-zero exit, nothing written
if mpirun -np 3 "$bin" run --paths 10 --bogus --out bad >out.txt 2>err.txt; then exit 1; fi
test "$(grep -c "unknown option '--bogus'" err.txt)" = 1
test ! -e bad
mkdir mine && echo x >mine/notes.txt
if mpirun -np 3 "$bin" run --paths 10 --no-charts --quiet --out mine >out.txt 2>err.txt; then exit 1; fi
test "$(grep -c "mine: holds files hnbsim did not write" err.txt)" = 1
test "$(ls mine)" = notes.txt
echo "mpirun -np 3: errors stop every rank with one message"
# a rank that cannot load what rank 0 loaded (here: told another file, as a
# node without the file would be) says so and leaves; the others run its
# share and the files are the same bytes, exit 0
mpirun -np 2 "$bin" run "$src/tests/data/hand-noise.json" --paths 777 --threads 1 --no-charts --quiet --out gone \
  --paths-out gone/paths.csv : -np 1 "$bin" run missing.json --paths 777 --quiet --out gone >out.txt 2>err.txt
diff -r noise1 gone
grep -q "rank 2: note: cannot run Monte Carlo blocks: missing.json: cannot open" err.txt
echo "mpirun -np 3 with a rank that cannot load: byte-identical, the others run its share"
# the Slurm example, launched by mpirun in place of srun, gives the same files
LAUNCH="timeout 600 $mpiexec --allow-run-as-root --oversubscribe -np 3" HNBSIM="$bin" \
  sh "$src/examples/hnbsim.sbatch" run --paths 3000 --threads 1 --no-charts --out sbatch --paths-out sbatch/paths.csv
diff -r sutton1 sbatch
echo "examples/hnbsim.sbatch (mpirun for srun): run --paths byte-identical to one process"
