#!/usr/bin/env python3
"""Monte Carlo standard errors and the sampled inputs of --paths-out
(model/analysis/mcse.c, montecarlo_write_inputs; issue 18).

On tests/data/mc-values.json, through the real command line:
  - each headline percentile's standard error in results.json equals the
    order-statistic interval recomputed from the paths' own figures in the
    --paths-out CSV (ranks n p -/+ 1.96 sqrt(n p (1 - p)), width / 3.92);
  - a figure that never varies has a standard error of 0;
  - four times the paths roughly halve it (1 / sqrt(n));
  - the sampled inputs file holds each path's drawn values: a path's drawn
    allocation, fixed in a deterministic run, gives that path's figure
    exactly; an action's "delivered" column is 1 on about 30% of paths for a
    delivery of 0.3, and a path where it did not deliver has the figure of
    the parent scenario.

Usage: test_mcse.py HNBSIM_BINARY SOURCE_DIR"""
import copy, csv, json, math, os, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
FILE = os.path.join(SRC, "tests", "data", "mc-values.json")
DOC = json.load(open(FILE))
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(args):
    p = subprocess.run([BIN, "run"] + args + ["--no-charts", "--no-spreadsheets", "--quiet"], capture_output=True,
                       text=True)
    check(p.returncode == 0, f"run {args}: {p.stderr}")
    return p


def scen(out):
    return {s["name"]: s for s in json.load(open(os.path.join(out, "results.json")))["scenarios"]}


def se_of(values, p):
    v = sorted(values)
    n = len(v)
    c, h = p * (n - 1), 1.96 * math.sqrt(n * p * (1 - p))
    lo, hi = max(0, math.floor(c - h)), min(n - 1, math.ceil(c + h))
    return (v[hi] - v[lo]) / 3.92


with tempfile.TemporaryDirectory() as tmp:
    out, pcsv = os.path.join(tmp, "a"), os.path.join(tmp, "paths.csv")
    run([FILE, "--paths", "4000", "--seed", "3", "--out", out, "--paths-out", pcsv])
    r = scen(out)
    rows = list(csv.DictReader(open(pcsv)))
    for name in ("spread", "deliver", "corr"):
        col = [float(x["cumulative_at_override_end"]) for x in rows if x["scenario"] == name]
        se = r[name]["montecarlo"]["standard_errors"]["cumulative_at_override_end"]
        for k, p in (("se_p5", 0.05), ("se_p50", 0.5), ("se_p95", 0.95)):
            want = se_of(col, p)
            check(abs(se[k] - want) <= 1e-9 * max(1.0, abs(want)), f"{name} {k}: {se[k]} != {want}")
    check("order statistics" in r["spread"]["montecarlo"]["standard_errors"]["method"], "the method is stated")
    base_se = r["base"]["montecarlo"]["standard_errors"]["cumulative_at_override_end"]
    check(all(base_se[k] == 0 for k in ("se_p5", "se_p50", "se_p95")), f"a figure that never varies: {base_se}")
    out4 = os.path.join(tmp, "b")
    run([FILE, "--paths", "16000", "--seed", "3", "--out", out4])
    ratio = scen(out4)["spread"]["montecarlo"]["standard_errors"]["cumulative_at_override_end"]["se_p50"] / \
        r["spread"]["montecarlo"]["standard_errors"]["cumulative_at_override_end"]["se_p50"]
    check(0.3 < ratio < 0.7, f"four times the paths: the standard error x {ratio}, expected about 0.5")

    # the sampled inputs
    inp = os.path.join(tmp, "paths-inputs-spread.csv")
    check(os.path.exists(inp), "paths-inputs-spread.csv written beside paths.csv")
    ins = list(csv.DictReader(open(inp)))
    check(len(ins) == 4000, f"{len(ins)} rows of inputs, expected 4000")
    key = [k for k in ins[0] if k.endswith("hnb_allocation.amount")]
    check(len(key) == 1, f"the drawn allocation's column: {list(ins[0])}")
    fig = {int(x["path"]): float(x["cumulative_at_override_end"]) for x in rows if x["scenario"] == "spread"}
    for path in (0, 7, 1234):
        drawn = float(ins[path][key[0]])
        doc = copy.deepcopy(DOC)
        doc["scenarios"] = {"base": DOC["scenarios"]["base"], "spread": copy.deepcopy(DOC["scenarios"]["spread"])}
        amt = doc["scenarios"]["spread"]["funding"]["hnb_allocation"]["amount"]
        amt["value"] = drawn
        del amt["dist"]
        amt["plausible"] = False
        f = os.path.join(tmp, f"fixed{path}.json")
        json.dump(doc, open(f, "w"))
        o = os.path.join(tmp, f"fixed{path}")
        run([f, "--out", o])
        got = scen(o)["spread"]["headline"]["cumulative_at_override_end"]
        check(abs(got - fig[path]) <= 1e-6 * abs(fig[path]), f"path {path}: the drawn input gives {got}, "
              f"the path {fig[path]}")
    dl = list(csv.DictReader(open(os.path.join(tmp, "paths-inputs-deliver.csv"))))
    col = [k for k in dl[0] if k == "delivered: Safety Valve"]
    check(col, f"a delivered column for Safety Valve: {list(dl[0])}")
    if col:
        share = sum(int(x[col[0]]) for x in dl) / len(dl)
        check(abs(share - 0.3) < 0.03, f"delivered on {share:.3f} of paths, expected about 0.3")
        base_fig = {int(x["path"]): float(x["cumulative_at_override_end"]) for x in rows if x["scenario"] == "base"}
        dfig = {int(x["path"]): float(x["cumulative_at_override_end"]) for x in rows if x["scenario"] == "deliver"}
        off = [int(x["path"]) for x in dl if x[col[0]] == "0"][:20]
        check(all(dfig[p] == base_fig[p] for p in off), "a path where it did not deliver: the parent's figure")
        on = [int(x["path"]) for x in dl if x[col[0]] == "1"][:20]
        check(all(dfig[p] != base_fig[p] for p in on), "a path where it delivered: not the parent's figure")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
