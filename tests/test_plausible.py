#!/usr/bin/env python3
"""A catalogue of plausible-but-wrong scenario files (docs/scenario-format.md,
"Plausibility: the mistakes of units").

Each case takes tests/data/example.json, makes one mistake a finance officer
makes (9 for 9%, 62 for £62k, 19.5 for £19.5m, a sign slip, a distribution
that describes another figure), and checks, through the real command line:
  - `hnbsim validate` and `hnbsim run` exit 1;
  - the message names the file, the JSON path and what was probably meant;
  - `run` writes nothing (the output folder is not created);
and then that the same value passes `validate` when the assumption says
"plausible": false, the documented way to accept it deliberately.

Usage: test_plausible.py HNBSIM_BINARY SOURCE_DIR"""
import copy, json, os, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
BASE = json.load(open(os.path.join(SRC, "tests", "data", "example.json")))
B = ["scenarios", "baseline"]

# (name, path to the assumption, new value, path printed, hint fragment)
CASES = [
    ("growth 9 for 9%", B + ["joiners", "growth"], 9, "scenarios.baseline.joiners.growth", "did you mean 0.09 (9%)"),
    ("growth 10 for 10%", B + ["joiners", "growth"], 10, "joiners.growth", "did you mean 0.1 (10%)"),
    ("growth in one year 12", B + ["joiners", "growth", "by_year", "2025-26"], 12,
     "joiners.growth.by_year.2025-26", "did you mean 0.12"),
    ("growth -50%", B + ["joiners", "growth"], -0.5, "joiners.growth", "beyond what English authorities see"),
    ("inflation 3.5 for 3.5%", B + ["placements", "mainstream", "inflation"], 3.5,
     "placements.mainstream.inflation", "did you mean 0.035 (3.5%)"),
    ("inflation 3 on resourced provision", B + ["placements", "base", "inflation"], 3, "placements.base.inflation",
     "did you mean 0.03"),
    ("inflation 50%", B + ["placements", "mainstream", "inflation"], 0.5, "placements.mainstream.inflation",
     "50% a year"),
    ("funding growth 3", B + ["funding", "hnb_allocation", "growth"], 3, "funding.hnb_allocation.growth",
     "did you mean 0.03"),
    ("funding growth in a year 7", B + ["funding", "hnb_allocation", "growth", "by_year", "2026-27"], 7,
     "by_year.2026-27", "did you mean 0.07"),
    ("spend line inflation 3", B + ["spend", "central_sen", "inflation"], 3, "spend.central_sen.inflation",
     "did you mean 0.03"),
    ("interest 4.5 for 4.5%", B + ["interest_rate"], 4.5, "scenarios.baseline.interest_rate", "did you mean 0.045"),
    ("interest 50%", B + ["interest_rate"], 0.5, "interest_rate", "50% a year"),
    ("unit cost 62 for £62k", B + ["placements", "nmi", "unit_cost"], 62, "placements.nmi.unit_cost",
     "did you mean £62,000"),
    ("unit cost 8.5 for £8.5k", B + ["placements", "mainstream", "unit_cost"], 8.5,
     "placements.mainstream.unit_cost", "did you mean £8,500"),
    ("unit cost 19 for £19k", B + ["placements", "base", "unit_cost"], 19, "placements.base.unit_cost",
     "did you mean £19,000"),
    ("unit cost 24.5", B + ["placements", "special", "unit_cost"], 24.5, "placements.special.unit_cost",
     "did you mean £24,500"),
    ("unit cost £5m", B + ["placements", "nmi", "unit_cost"], 5000000, "placements.nmi.unit_cost",
     "is not a cost a placement has"),
    ("unit cost £300", B + ["placements", "special", "unit_cost"], 300, "placements.special.unit_cost",
     "is not a cost a placement has"),
    ("allocation 21 for £21m", B + ["funding", "hnb_allocation", "amount"], 21, "funding.hnb_allocation.amount",
     "did you mean £21m"),
    ("allocation 19.5 for £19.5m", B + ["funding", "hnb_allocation", "amount"], 19.5,
     "funding.hnb_allocation.amount", "did you mean £19.5m"),
    ("allocation 21,000 for £21m", B + ["funding", "hnb_allocation", "amount"], 21000,
     "funding.hnb_allocation.amount", "not £ thousands: did you mean £21m"),
    ("import/export -0.25 for -£250k", B + ["funding", "import_export", "amount"], -0.25,
     "funding.import_export.amount", "did you mean -£250,000"),
    ("spend line 1.5 for £1.5m", B + ["spend", "central_sen", "amount"], 1.5, "spend.central_sen.amount",
     "did you mean £1.5m"),
    ("spend line 300 for £300k", B + ["spend", "hospital", "amount"], 300, "spend.hospital.amount",
     "not £ thousands: did you mean £300,000"),
    ("opening balance -4 for -£4m", B + ["opening_balance"], -4, "scenarios.baseline.opening_balance",
     "did you mean -£4m"),
    ("opening balance +£4m beside a -£4m outturn", B + ["opening_balance"], 4000000, "opening_balance",
     "2024-25 outturn carried forward is -£4m: did you mean -£4m"),
    ("cost scale 3", B + ["cost_scale"], 3, "scenarios.baseline.cost_scale", "changes every unit cost 3-fold"),
    ("cost scale 0.2", B + ["cost_scale"], 0.2, "cost_scale", "changes every unit cost 0.2-fold"),
    # distributions that describe another figure
    ("normal mean -1000 on cost scale", B + ["cost_scale"],
     {"value": 1.0, "dist": {"type": "normal", "mean": -1000, "sd": 0.1}}, "cost_scale.dist.mean",
     "outside the assumption's range"),
    ("normal mean far from the value", B + ["funding", "hnb_allocation", "amount"],
     {"value": 21000000, "dist": {"type": "normal", "mean": 30000000, "sd": 1000000}},
     "funding.hnb_allocation.amount.dist.mean", "centred on £30m, far from the assumption's value £21m"),
    ("lognormal far from the value", B + ["placements", "nmi", "unit_cost"],
     {"value": 62000, "price_base": "2024-25", "dist": {"type": "lognormal", "mean": 6200, "sd": 500}},
     "placements.nmi.unit_cost.dist.mean", "far from the assumption's value £62,000"),
    ("triangular that does not hold the value", B + ["interest_rate"],
     {"value": 0.045, "dist": {"type": "triangular", "min": 0.05, "mode": 0.06, "max": 0.07}},
     "interest_rate.dist", "lies outside its distribution"),
    ("PERT that does not hold the value", B + ["joiners", "growth"],
     {"value": 0.08, "dist": {"type": "pert", "min": 0.1, "mode": 0.12, "max": 0.2}}, "joiners.growth.dist",
     "lies outside its distribution"),
    ("uniform that does not hold the value", B + ["placements", "base", "inflation"],
     {"value": 0.03, "dist": {"type": "uniform", "min": 0.04, "max": 0.06}}, "placements.base.inflation.dist",
     "lies outside its distribution"),
]


def node_at(doc, path):
    for k in path[:-1]:
        doc = doc[k]
    return doc, path[-1]


def set_value(doc, path, value, accept):
    parent, key = node_at(doc, path)
    old = parent.get(key)
    if isinstance(value, dict):  # a whole assumption object (distributions)
        new = copy.deepcopy(value)
        new.setdefault("source", "test")
    elif isinstance(old, dict):
        new = copy.deepcopy(old)
        new["value"] = value
    else:
        new = {"value": value, "source": "test"} if accept else value
    if accept:
        new["plausible"] = False
    parent[key] = new


def run(args):
    p = subprocess.run([BIN] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


with tempfile.TemporaryDirectory() as tmp:
    for i, (name, path, value, where, hint) in enumerate(CASES):
        doc = copy.deepcopy(BASE)
        set_value(doc, path, value, accept=False)
        f = os.path.join(tmp, f"case{i:02d}.json")
        json.dump(doc, open(f, "w"), ensure_ascii=False, indent=1)
        code, out, err = run(["validate", f])
        check(code == 1, f"{name}: validate exit {code}, expected 1\n{err}")
        check(f in err, f"{name}: the message does not name the file\n{err}")
        check(where in err, f"{name}: the message does not name {where}\n{err}")
        check(hint in err, f"{name}: no hint \"{hint}\"\n{err}")
        check("plausible" in err, f"{name}: the message does not say how to accept it\n{err}")
        outdir = os.path.join(tmp, f"out{i:02d}")
        code, out, err = run(["run", f, "--out", outdir, "--no-charts", "--quiet"])
        check(code == 1, f"{name}: run exit {code}, expected 1")
        check(not os.path.exists(outdir), f"{name}: run wrote {outdir}")
        # accepted deliberately
        doc = copy.deepcopy(BASE)
        set_value(doc, path, value, accept=True)
        g = os.path.join(tmp, f"case{i:02d}-accepted.json")
        json.dump(doc, open(g, "w"), ensure_ascii=False, indent=1)
        code, out, err = run(["validate", g])
        check(code == 0, f"{name}: with \"plausible\": false, validate exit {code}\n{err}")
    # the untouched file is plausible
    code, out, err = run(["validate", os.path.join(SRC, "tests", "data", "example.json")])
    check(code == 0, f"example.json itself: exit {code}\n{err}")

print(f"{len(CASES)} cases")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
