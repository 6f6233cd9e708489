#!/usr/bin/env python3
"""Calibration that can be defended (model/api/calibrate.c; issue 18).

Through the real command line:
  - Sutton's fit prints money in £ and rates in % with their standard errors
    (£63.3m +/- £5.75m, 6.73% +/- 1.06%), not 6.32967e+07;
  - two assumptions the figures cannot tell apart (cost_scale and the HNB
    allocation, correlation +1.00) give a warning, in the terminal and in
    calibration.json's "warnings"; the hold-out's exact fit says so too;
  - a fitted value outside its plausible range (a cost scale the figures
    push past 2.5) is a warning, and the calibrated file keeps the stated
    value for it.

Usage: test_calibrate_trust.py HNBSIM_BINARY SOURCE_DIR"""
import copy, json, os, subprocess, sys, tempfile

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


with tempfile.TemporaryDirectory() as tmp:
    code, out, err = run(["calibrate"], tmp)
    check(code == 0, f"calibrate: {code} {err}")
    check("£63.3m" in out and "£5.75m" in out, f"the allocation in £ with its standard error\n{out[:900]}")
    check("6.73%" in out and "1.06%" in out, "a growth rate in % with its standard error")
    check("e+07" not in out and "e+06" not in out, "no 1e+07 in the report")
    check("warning: scenarios.baseline.cost_scale and scenarios.baseline.funding.hnb_allocation.amount are not "
          "identifiable apart" in out and "+1.00 (beyond +/-0.95)" in out, f"the correlation warning\n{out}")
    check("warning: the fit is exact" in out, "the hold-out's exact fit is called so")
    cal = json.load(open(os.path.join(tmp, "out", "calibration", "calibration.json")))["calibration"]
    check(any("not identifiable apart" in w for w in cal["fit_all"]["warnings"]), "warnings in calibration.json")
    check(any("exact" in w for w in cal["holdout"]["warnings"]), "the hold-out's warning in calibration.json")

    # a fitted value outside its plausible range: figures only a cost scale above 2.5 can meet
    doc = json.load(open(os.path.join(SRC, "tests", "data", "example.json")))
    fin = doc["scenarios"]["baseline"]["actuals"]["finance"]
    for row in fin:
        row["in_year"] *= 12
        row["cumulative"] *= 12
    f = os.path.join(tmp, "far.json")
    json.dump(doc, open(f, "w"))
    code, out, err = run(["calibrate", f, "--out", "far"], tmp)
    check(code == 0, f"calibrate far.json: {code} {err}")
    check("scenarios.baseline.cost_scale: the fitted" in out and "outside its plausible range (a multiplier from "
          "0.5 to 2.5)" in out, f"the implausible fitted value is named\n{out}")
    fitted = json.load(open(os.path.join(tmp, "far", "calibration.json")))["calibration"]["fit_all"]["assumptions"][0]
    check(fitted["fitted"] > 2.5, f"the fit itself is reported: {fitted}")
    written = json.load(open(os.path.join(tmp, "far", "calibrated.json")))
    check(written["scenarios"]["baseline"]["cost_scale"]["value"] == 1.0,
          f"the calibrated file keeps the stated value: {written['scenarios']['baseline']['cost_scale']}")
    # and a plausible fit is written back
    code, out, err = run(["calibrate", os.path.join(SRC, "tests", "data", "example.json"), "--out", "near"], tmp)
    check(code == 0, f"calibrate example.json: {code} {err}")
    near = json.load(open(os.path.join(tmp, "near", "calibrated.json")))["scenarios"]["baseline"]["cost_scale"]
    check(code == 0 and abs(near["value"] - 1.03971) < 1e-4 and "warning" not in out,
          f"a plausible fit is written back: {near} {out}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
