#!/usr/bin/env python3
"""The catalogue of malformed files (issue 20): scenario files, results files
and sweep files, each damaged in one way, each refused with a non-zero exit,
the file and the JSON path (or line:column) in the message, and nothing
written: an earlier output folder stays byte-identical and the folder a
refused command was given is never created.

The damage is made from tests/data/example.json and a results file of it, so
each case is one change away from a good file; tests/data/bad/ (test_validate)
and tests/test_hostile.py hold more. Prints one line per case and the count.

Usage: test_catalogue.py HNBSIM_BINARY SOURCE_DIR"""
import copy, hashlib, json, os, shutil, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
EXAMPLE = json.load(open(os.path.join(SRC, "tests", "data", "example.json")))
work = tempfile.mkdtemp(prefix="hnb-catalogue-")
failures, count = [], 0


def run(*args):
    p = subprocess.run([BIN] + list(args), capture_output=True)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def digest(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for f in dirs + files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = "dir" if os.path.isdir(p) else hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


prev = os.path.join(work, "prev")
rc, err = run("run", os.path.join(SRC, "tests", "data", "example.json"), "--out", prev, "--no-charts", "--quiet")
assert rc == 0, err
before = digest(prev)
RESULTS = json.load(open(os.path.join(prev, "results.json")))


def at(d, path):
    """The container and key of a dotted path (numbers index lists)."""
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    for k in keys[:-1]:
        d = d[k]
    return d, keys[-1]


def put(path, value):
    def m(d):
        c, k = at(d, path)
        c[k] = value
    return m


def drop(path):
    def m(d):
        c, k = at(d, path)
        del c[k]
    return m


def text(fn):
    """A change to the file's bytes rather than its tree."""
    fn.raw = True
    return fn


def judge(kind, name, f, cmds, parts):
    global count
    count += 1
    bad = []
    for cmd in cmds:
        out = os.path.join(work, "out-%d" % count)
        rc, err = run(*[a.replace("OUT", out) for a in cmd])
        if rc == 0:
            bad.append("%s: exit 0" % cmd[0])
        missing = [p for p in [f] + parts if p not in err]
        if missing:
            bad.append("%s: %r not in: %s" % (cmd[0], missing, err.strip()))
        if os.path.exists(out):
            bad.append("%s: wrote %s" % (cmd[0], out))
    if digest(prev) != before:
        bad.append("the earlier output folder changed")
    line = "%-8s %3d %s" % (kind, count, name)
    print(("ok   " if not bad else "FAIL ") + line + ("" if not bad else "\n     " + "\n     ".join(bad)))
    if bad:
        failures.append(line)


def scenario_case(name, change, parts):
    if getattr(change, "raw", False):
        data = change(json.dumps(EXAMPLE, indent=1, ensure_ascii=False).encode())
    else:
        d = copy.deepcopy(EXAMPLE)
        change(d)
        data = json.dumps(d, indent=1, ensure_ascii=False).encode()
    f = os.path.join(tempfile.mkdtemp(dir=work), "scenario.json")
    open(f, "wb").write(data)
    judge("scenario", name, f, [["validate", f], ["run", f, "--out", prev, "--no-charts", "--quiet"]], parts)


def results_case(name, change, parts):
    if getattr(change, "raw", False):
        data = change(json.dumps(RESULTS, indent=1, ensure_ascii=False).encode())
    else:
        d = copy.deepcopy(RESULTS)
        change(d)
        data = json.dumps(d, indent=1, ensure_ascii=False).encode()
    f = os.path.join(tempfile.mkdtemp(dir=work), "results.json")
    open(f, "wb").write(data)
    judge("results", name, f, [["compare", f, os.path.join(prev, "results.json")], ["export", f, "--out", "OUT"],
                               ["plot", f, "--out", "OUT", "--format", "svg"]], parts)


B = "scenarios.baseline"
P = B + ".placements"
SCENARIOS = [
    # types
    ("title a number", put("title", 7), ["title"]),
    ("scenarios an array", put("scenarios", []), ["scenarios"]),
    ("a scenario a string", put("scenarios.plan", "plan"), ["scenarios.plan"]),
    ("label a number", put(B + ".label", 3), [B + ".label"]),
    ("horizon a number", put(B + ".horizon", 2030), [B + ".horizon"]),
    ("opening_balance a string", put(B + ".opening_balance", "minus four million"), [B + ".opening_balance"]),
    ("interest_rate value a string", put(B + ".interest_rate.value", "4.5%"), [B + ".interest_rate"]),
    ("placements an array", put(B + ".placements", []), [B + ".placements"]),
    ("a placement's unit_cost a string", put(P + ".mainstream.unit_cost", "8500"), [P + ".mainstream.unit_cost"]),
    ("capacity an object", put(P + ".base.capacity", {"places": 120}), [P + ".base.capacity"]),
    ("stocks.by_age a list", put(B + ".stocks.by_age", [1, 2]), [B + ".stocks.by_age"]),
    ("a stock row of strings", put(B + ".stocks.by_age.nmi", ["1"] * 26), [B + ".stocks.by_age.nmi"]),
    ("cease_rates an object", put(B + ".leavers.cease_rates", {"5": 0.1}), [B + ".leavers.cease_rates"]),
    ("moves an object", put(B + ".moves", {}), [B + ".moves"]),
    ("a move's ages a string", put(B + ".moves.0.ages", "5-15"), [B + ".moves[0].ages"]),
    ("joiners.growth true", put(B + ".joiners.growth", True), [B + ".joiners.growth"]),
    ("spend amount null", put(B + ".spend.central_sen.amount", None), [B + ".spend.central_sen.amount"]),
    ("funding fy a number", put(B + ".funding.hnb_allocation.fy", 2025), [B + ".funding.hnb_allocation.fy"]),
    # missing required keys
    ("no scenarios", drop("scenarios"), ["scenarios"]),
    ("horizon an empty string", put(B + ".horizon", ""), [B + ".horizon"]),
    ("no stocks", drop(B + ".stocks"), [B, "stocks"]),
    ("no unit_cost", drop(P + ".special.unit_cost"), [P + ".special", "unit_cost"]),
    ("no census year", drop(B + ".stocks.census"), [B + ".stocks", "census"]),
    ("no joiners driver", drop(B + ".joiners.driver"), [B + ".joiners", "driver"]),
    ("an assumption with no value", drop(B + ".interest_rate.value"), [B + ".interest_rate"]),
    # out of range
    ("a negative unit cost", put(P + ".nmi.unit_cost.value", -60000), [P + ".nmi.unit_cost"]),
    ("a cease rate of 1.5", put(B + ".leavers.cease_rates.5", 1.5), [B + ".leavers.cease_rates"]),
    ("a negative stock", put(B + ".stocks.by_age.special.10", -3), [B + ".stocks.by_age.special"]),
    ("a stock row too short", put(B + ".stocks.by_age.base", [1, 2, 3]), [B + ".stocks.by_age.base"]),
    ("a move row that sums to 1.2", put(B + ".moves.0.matrix.base.base", 1.16), [B + ".moves[0].matrix"]),
    ("first placement shares that sum to 0.9", put(B + ".joiners.first_placement.mainstream", 0.6),
     [B + ".joiners.first_placement"]),
    ("an age distribution that sums to 2", put(B + ".joiners.age_distribution.4", 1.14),
     [B + ".joiners.age_distribution"]),
    ("a move's ages reversed", put(B + ".moves.0.ages", [15, 5]), [B + ".moves[0].ages"]),
    ("a PERT with min above mode", put(P + ".nmi.unit_cost.dist.min", 65000), [P + ".nmi.unit_cost.dist"]),
    ("a triangular with max below mode", put(B + ".joiners.growth.dist.max", 0.05), [B + ".joiners.growth.dist"]),
    ("a distribution of unknown type", put(B + ".joiners.growth.dist.type", "cauchy"), [B + ".joiners.growth.dist"]),
    ("a loading above 1", put(B + ".joiners.growth.dist.loading", 1.8), [B + ".joiners.growth.dist"]),
    ("capacity places negative", put(P + ".base.capacity.0.places", -1), [P + ".base.capacity[0]"]),
    ("a growth of 1e400 (infinite)", text(lambda b: b.replace(b'"value": 0.08', b'"value": 1e400', 1)),
     [B + ".joiners.growth"]),
    # dates and years
    ("horizon not a financial year", put(B + ".horizon", "2029/30"), [B + ".horizon"]),
    ("horizon before the start", put(B + ".horizon", "2019-20"), [B + ".horizon"]),
    ("override_end not a date", put(B + ".override_end", "31/03/2028"), [B + ".override_end"]),
    ("a by_year key that is no year", put(P + ".nmi.inflation.by_year", {"next year": 0.05}),
     [P + ".nmi.inflation.by_year"]),
    ("a price base of 2024", put(P + ".mainstream.unit_cost.price_base", "2024"), [P + ".mainstream.unit_cost"]),
    ("capacity from 31 February", put(P + ".base.capacity.0.from", "2024-02-31"), [P + ".base.capacity[0].from"]),
    # references
    ("overflow to no such placement", put(P + ".base.overflow_to", "hospital"), [P + ".base.overflow_to"]),
    ("a move to no such placement", put(B + ".moves.0.matrix.base.college", 0.01), [B + ".moves[0].matrix"]),
    ("extends no such scenario", put("scenarios.plan.extends", "basline"), ["scenarios.plan.extends"]),
    ("extends itself", put("scenarios.plan.extends", "plan"), ["scenarios.plan.extends"]),
    ("backfill from no such placement", put(P + ".special.backfill.from", "ip"), [P + ".special.backfill"]),
    # keys
    ("an unknown key", put(B + ".horizn", "2029-30"), [B + ".horizn"]),
    ("an unknown key in a placement", put(P + ".nmi.unitcost", 1), [P + ".nmi.unitcost"]),
    ("a duplicate key", text(lambda b: b.replace(b'"label": "Unmitigated', b'"label": "x", "label": "Unmitigated', 1)),
     [B + ".label"]),
    ("format of another kind", put("format", "hnbsim-results"), ["format"]),
    # syntax
    ("a trailing comma", text(lambda b: b.replace(b'"Anytown",', b'"Anytown",,', 1)), [":4:"]),
    ("truncated in the middle", text(lambda b: b[: len(b) // 2]), ["malformed JSON"]),
    ("garbage after the document", text(lambda b: b + b"\n}"), ["malformed JSON"]),
    ("a single-quoted string", text(lambda b: b.replace(b'"Anytown",', b"'Anytown',", 1)), [":4:"]),
    ("nested 5,000 deep", text(lambda b: b.replace(b'"Anytown"', b"[" * 5000 + b"]" * 5000, 1)), ["malformed JSON"]),
    ("a comment", text(lambda b: b.replace(b'"Anytown",', b'"Anytown", // the authority', 1)), [":4:"]),
    ("UTF-16 with a byte-order mark", text(lambda b: b.decode().encode("utf-16")), ["scenario.json"]),
    ("a hexadecimal number", text(lambda b: b.replace(b'"value": 0.08', b'"value": 0x10', 1)), ["malformed JSON"]),
    ("an empty file", text(lambda b: b""), ["malformed JSON"]),
]

R = "scenarios[0]"
RESULTS_CASES = [
    ("format missing", drop("format"), ["format"]),
    ("format of another kind", put("format", "hnbsim-scenarios"), ["format"]),
    ("scenarios an object", put("scenarios", {}), ["format"]),
    ("a scenario a string", put("scenarios.0", "baseline"), [R]),
    ("a scenario with no name", drop("scenarios.0.name"), [R + ".name"]),
    ("a label a number", put("scenarios.0.label", 5), [R + ".label"]),
    ("years empty", put("scenarios.0.years", []), [R + ".years"]),
    ("years an object", put("scenarios.0.years", {}), [R + ".years"]),
    ("a year without fy", drop("scenarios.0.years.0.fy"), [R + ".years[0]"]),
    ("an EHCP total a string", put("scenarios.0.years.0.ehcps", "1,200"), [R + ".years[0]"]),
    ("an in-year position null", put("scenarios.0.years.1.in_year", None), [R + ".years[1]"]),
    ("headline missing", drop("scenarios.0.headline"), [R + ".headline"]),
    ("headline an array", put("scenarios.0.headline", []), [R + ".headline"]),
    ("truncated", text(lambda b: b[: len(b) // 3]), ["malformed JSON"]),
    ("a NUL byte in the title", text(lambda b: b.replace(b'"title": "', b'"title": "\x00', 1)), ["NUL"]),
]

for name, change, parts in SCENARIOS:
    scenario_case(name, change, parts)
for name, change, parts in RESULTS_CASES:
    results_case(name, change, parts)

# sweep files: a NUL byte and invalid UTF-8 refused with the place (model/input/sweepfile.c)
sweep = open(os.path.join(SRC, "tests", "data", "sweeps", "hand.json"), "rb").read()
for name, data, parts in (
        ("a NUL byte in the title", sweep.replace(b'"title": "', b'"title": "\x00', 1), [":3:", "NUL byte"]),
        ("\\u0000 in the title", sweep.replace(b'"title": "', b'"title": "\\u0000', 1), ["\\u0000 inside a string"]),
        ("invalid UTF-8 in the title", sweep.replace(b'"title": "', b'"title": "\xc3(', 1),
         ["title: invalid UTF-8"])):
    d = tempfile.mkdtemp(dir=work)
    for f in ("linear.json",):
        shutil.copy(os.path.join(SRC, "tests", "data", "sweeps", f), d)
    f = os.path.join(d, "sweep.json")
    open(f, "wb").write(data)
    judge("sweep", name, f, [["sweep", f, "--out", "OUT", "--no-charts"]], parts)

shutil.rmtree(work, ignore_errors=True)
print("%d malformed files, %d failures" % (count, len(failures)))
sys.exit(1 if failures or count < 60 else 0)
