#!/usr/bin/env python3
"""hnbsim compare A.json B.json: results files against each other, by
scenario label (docs/results-format.md, "comparison between files").

Two runs of tests/data/hand.json, the second with £10,000 more allocation a
year from 2025-26 (growth 2%): every year's in-year position is better by
10,000 x 1.02^k, so the cumulative at the override's end (31 March 2027, two
years) by 10,000 + 10,200 = 20,200 exactly. The test checks the terminal
table, comparison.json and comparison.csv, a scenario missing from the second
file, and a damaged file (exit 1, the file named, nothing written).

Usage: test_compare.py HNBSIM_BINARY SOURCE_DIR"""
import csv, json, os, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(args, cwd=None):
    p = subprocess.run([BIN] + args, capture_output=True, text=True, cwd=cwd)
    return p.returncode, p.stdout, p.stderr


with tempfile.TemporaryDirectory() as tmp:
    base = json.load(open(os.path.join(SRC, "tests", "data", "hand.json")))
    more = json.loads(json.dumps(base))
    more["scenarios"]["base"]["funding"]["hnb_allocation"]["amount"] = 1010000
    more["scenarios"]["other"] = {"label": "Only in the second", "extends": "base"}
    a, b = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
    json.dump(base, open(a, "w"))
    json.dump(more, open(b, "w"))
    for f, out in ((a, "ra"), (b, "rb")):
        code, _, err = run(["run", f, "--out", os.path.join(tmp, out), "--no-charts", "--no-spreadsheets", "--quiet"])
        check(code == 0, f"run {f}: {err}")
    ra, rb = os.path.join(tmp, "ra", "results.json"), os.path.join(tmp, "rb", "results.json")
    code, out, err = run(["compare", ra, rb, "--out", os.path.join(tmp, "cmp")])
    check(code == 0, f"compare exit {code}: {err}")
    check("Hand case" in out, "the scenario's label heads its table")
    line = [l for l in out.splitlines() if l.startswith("Override end, net")]
    check(line and line[0].split()[-1] == "0.0", f"the change in £m to one decimal: {line}")  # 20,200 = £0.0m
    doc = json.load(open(os.path.join(tmp, "cmp", "comparison.json")))
    row = doc["scenarios"][0]
    check(row["label"] == "Hand case", "comparison.json has the label")
    x0, x1 = row["cumulative_at_override_end"]
    check(abs((x1 - x0) - 20200.0) < 1e-6, f"net change {x1 - x0}, expected 20,200")
    g0, g1 = row["cumulative_at_override_end_gross"]
    check(abs((g1 - g0) - 20200.0) < 1e-6, "gross change 20,200")
    rows = list(csv.DictReader(open(os.path.join(tmp, "cmp", "comparison.csv"), encoding="utf-8")))
    check(len(rows) == 5 * 2, f"one CSV row per figure and file: {len(rows)}")
    v = {(r["figure"], r["file"]): float(r["value_gbp"]) for r in rows}
    check(abs(v[("cumulative_at_override_end", rb)] - v[("cumulative_at_override_end", ra)] - 20200.0) < 1e-6,
          "the CSV holds the same figures")
    # the other way round: a scenario the first file does not have is named
    code, out, err = run(["compare", rb, ra])
    check(code == 0 and 'no scenario "Only in the second" in [2]' in out, "a missing scenario is said")
    # a damaged results file: exit 1, its name, nothing written
    bad = os.path.join(tmp, "bad.json")
    open(bad, "w").write('{"format": "hnbsim-results", "scenarios": [{}]}')
    code, out, err = run(["compare", ra, bad, "--out", os.path.join(tmp, "cmp2")])
    check(code != 0 and code != 139, f"damaged file exit {code}")
    check(not os.path.exists(os.path.join(tmp, "cmp2")), "nothing written for a damaged file")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
