#!/usr/bin/env python3
"""A folder of outputs is whole or untouched, and never another command's
(cli/outset.c; issues 18 and 20).

  - After `hnbsim run`, every other command with its default folder
    (backtest, calibrate, plot, export, compare of one file and of two,
    validate, sweep, import-sen2 to stdout) leaves run's files byte for byte
    as they were, and run's folder refuses another command's outputs.
  - A rerun with another scenario file leaves no stale chart behind (Sutton's
    tornado chart does not survive a run of a file without Monte Carlo).
  - sweep's folder likewise: no stale chart or table after a narrower rerun,
    untouched by a failed sweep, and refused to another command's folder.
  - A run that fails part-way (a chart format gnuplot cannot write is not
    possible to force portably, so: an output folder that holds files hnbsim
    did not write, and a scenario that fails to project) leaves the folder as
    it was, and no staging folder behind.

Usage: test_outputs.py HNBSIM_BINARY SOURCE_DIR"""
import hashlib, json, os, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(args, cwd):
    p = subprocess.run([BIN] + args, capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


def snapshot(folder):
    out = {}
    for d, _, names in os.walk(folder):
        for n in names:
            p = os.path.join(d, n)
            out[os.path.relpath(p, folder)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


with tempfile.TemporaryDirectory() as tmp:
    code, _, err = run(["run", "--paths", "200", "--seed", "1", "--format", "png"], tmp)
    check(code == 0, f"run: {err}")
    before = snapshot(os.path.join(tmp, "out"))
    check("charts/tornado.png" in before, "the Sutton run draws its tornado chart")
    for args in (["backtest", "--quiet"], ["calibrate", "--quiet"], ["plot", "out/results.json", "--format", "png"],
                 ["export", "out/results.json"], ["compare", "out/results.json"],
                 ["compare", "out/results.json", "out/results.json"],
                 ["validate", os.path.join(SRC, "tests", "data", "hand.json")],
                 ["sweep", os.path.join(SRC, "tests", "data", "sweeps", "hand.json"), "--no-charts", "--quiet"],
                 ["import-sen2", "--la", "Sutton"]):
        code, _, err = run(args, tmp)
        check(code == 0, f"{args[0]}: exit {code}: {err}")
        after = {k: v for k, v in snapshot(os.path.join(tmp, "out")).items() if "/" not in k or k.split("/")[0] in ("charts", "csv")}
        check(after == before, f"{args[0]} changed run's files")
    # another command into run's folder is refused, and changes nothing
    code, _, err = run(["backtest", "--out", "out", "--quiet"], tmp)
    check(code == 2 and "holds the outputs of 'hnbsim run'" in err, f"backtest into run's folder: {code} {err}")
    check({k: v for k, v in snapshot(os.path.join(tmp, "out")).items() if k in before} == before, "refused, untouched")
    # a rerun with another file: no stale chart
    code, _, err = run(["run", os.path.join(SRC, "tests", "data", "hand.json"), "--format", "png", "--quiet"], tmp)
    check(code == 0, f"rerun: {err}")
    now = snapshot(os.path.join(tmp, "out"))
    check("charts/tornado.png" not in now, "Sutton's tornado chart survived a rerun with another file")
    check("results.json" in now and now["results.json"] != before["results.json"], "the new results are there")
    check(not any(".staging-" in k for k in now), "no staging folder left")
    # a run that fails (a scenario whose projection is not finite) leaves the folder as it was
    bad = json.load(open(os.path.join(SRC, "tests", "data", "hand.json")))
    bad["scenarios"]["base"]["joiners"]["growth"] = {"value": 100, "plausible": False, "source": "test: overflow"}
    bad["scenarios"]["base"]["horizon"] = "2200-01"  # 101^175 new plans: not finite
    f = os.path.join(tmp, "bad.json")
    json.dump(bad, open(f, "w"))
    code, _, err = run(["run", f, "--format", "png", "--quiet"], tmp)
    later = snapshot(os.path.join(tmp, "out"))
    check(code != 0, f"the failing run exits non-zero ({code})")
    check(later == now, "a failed run changed the folder")
    # a folder with someone else's files is refused without --force
    os.makedirs(os.path.join(tmp, "mine"))
    open(os.path.join(tmp, "mine", "notes.txt"), "w").write("mine")
    code, _, err = run(["run", os.path.join(SRC, "tests", "data", "hand.json"), "--out", "mine", "--no-charts",
                        "--quiet"], tmp)
    check(code == 2 and "hnbsim did not write" in err, f"a folder of other files: {code} {err}")
    check(os.listdir(os.path.join(tmp, "mine")) == ["notes.txt"], "the officer's folder untouched")
    code, _, err = run(["run", os.path.join(SRC, "tests", "data", "hand.json"), "--out", "mine", "--no-charts",
                        "--quiet", "--force"], tmp)
    check(code == 0 and os.path.exists(os.path.join(tmp, "mine", "notes.txt")), "--force writes beside, keeps notes")

    # sweep writes through the same staging and manifest (issue 17): its own
    # folder, no stale chart after a narrower rerun, a failure leaves it be
    sweeps = os.path.join(SRC, "tests", "data", "sweeps")
    code, _, err = run(["sweep", os.path.join(sweeps, "hand.json"), "--format", "png", "--quiet"], tmp)
    check(code == 0, f"sweep: {err}")
    sw = snapshot(os.path.join(tmp, "out", "sweep"))
    check("charts/sweep-grid.png" in sw and "sweep.json" in sw, "sweep wrote its files to out/sweep")
    check(open(os.path.join(tmp, "out", "sweep", ".hnbsim-manifest")).readline() == "hnbsim sweep\n",
          "sweep's manifest names it")
    code, _, err = run(["sweep", os.path.join(sweeps, "hand.json"), "--sweep", "tornado", "--format", "png",
                        "--quiet"], tmp)
    now = snapshot(os.path.join(tmp, "out", "sweep"))
    check(code == 0 and "charts/sweep-tornado.png" in now, f"sweep --sweep tornado: {err}")
    check("charts/sweep-grid.png" not in now and "csv/sweep-grid.csv" not in now,
          "the grid's chart and table survived a rerun of the tornado alone")
    check(not any(".staging-" in k for k in now), "no staging folder left by sweep")
    code, _, err = run(["sweep", os.path.join(sweeps, "goal-none.json"), "--format", "png", "--quiet"], tmp)
    check(code == 1 and snapshot(os.path.join(tmp, "out", "sweep")) == now, "a failed sweep changed its folder")
    code, _, err = run(["sweep", os.path.join(sweeps, "hand.json"), "--out", "mine", "--quiet"], tmp)
    check(code == 2 and "holds the outputs of 'hnbsim run'" in err, f"sweep into run's folder: {code} {err}")

    # a Monte Carlo run whose horizon stops before the override's end (2027-28):
    # the position at that date is null in every path, and the workbook and CSV
    # still write (the results check accepts an all-null statistics object)
    code, _, err = run(["run", os.path.join(SRC, "tests", "data", "depth.json"), "--paths", "20", "--out", "short",
                        "--no-charts", "--quiet"], tmp)
    short = snapshot(os.path.join(tmp, "short")) if code == 0 else {}
    check(code == 0 and "hnbsim.xlsx" in short, f"a short-horizon Monte Carlo run writes its workbook: {code} {err}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
