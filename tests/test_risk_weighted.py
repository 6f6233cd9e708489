#!/usr/bin/env python3
"""The risk-weighted expected line (model/analysis/expected.c; issue 18).

Known answers through the real command line, on tests/data/iv-attr.json:
  - every action certain (delivery 1): the line is the central line exactly;
  - one action at delivery p: p x (its central line) + (1 - p) x (the line
    with it at delivery 0, i.e. not delivered), in every year;
  - two actions at p1 and p2: the four combinations weighted p1 p2,
    p1 (1 - p2), (1 - p1) p2 and (1 - p1)(1 - p2);
  - 21 savings at delivery 0.5 (more than 12: combinations sampled): within
    four standard errors of the exact answer, which for spend savings is the
    parent's line plus half of each saving;
  - the results say which line is which ("assumes", "central_assumes").

Usage: test_risk_weighted.py HNBSIM_BINARY SOURCE_DIR"""
import copy, json, math, os, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
BASE = json.load(open(os.path.join(SRC, "tests", "data", "iv-attr.json")))
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(doc, tmp, tag):
    f = os.path.join(tmp, tag + ".json")
    json.dump(doc, open(f, "w"))
    out = os.path.join(tmp, "out-" + tag)
    p = subprocess.run([BIN, "run", f, "--out", out, "--no-charts", "--no-spreadsheets", "--quiet"],
                       capture_output=True, text=True)
    check(p.returncode == 0, f"{tag}: exit {p.returncode}: {p.stderr}")
    return {s["name"]: s for s in json.load(open(os.path.join(out, "results.json")))["scenarios"]}


def with_delivery(name, deliveries):
    doc = copy.deepcopy(BASE)
    doc["scenarios"] = {"base": BASE["scenarios"]["base"], name: copy.deepcopy(BASE["scenarios"][name])}
    for a, p in zip(doc["scenarios"][name]["interventions"], deliveries):
        if p is not None:
            a["delivery"] = p
    return doc


def line(s, key="cumulative"):
    return [y[key] for y in s["risk_weighted"]["years"]]


def close(a, b, tol=1e-6):
    return all(abs(x - y) <= tol * max(1.0, abs(y)) for x, y in zip(a, b))


with tempfile.TemporaryDirectory() as tmp:
    r = run(with_delivery("plan_other", [None, None]), tmp, "certain")["plan_other"]
    central = [y["cumulative"] for y in r["years"]]
    check(line(r) == central, "every action certain: the risk-weighted line is the central line exactly")
    check(r["risk_weighted"]["cumulative_at_override_end"] == r["headline"]["cumulative_at_override_end"],
          "certain: the same figure at the override's end")
    check("every action delivered" in r["risk_weighted"]["central_assumes"], "central_assumes says it")
    check("delivery confidence" in r["risk_weighted"]["assumes"], "assumes says it")
    check(r["risk_weighted"]["actions"] == [], "no action at risk listed")

    # one action at p
    lines = {}
    for p1 in (1, 0, 0.6):
        for p2 in (1, 0, 0.3):
            lines[(p1, p2)] = run(with_delivery("plan_other", [p1, p2]), tmp, f"d{p1}-{p2}")["plan_other"]
    one = line(lines[(0.6, 1)])
    want = [0.6 * a + 0.4 * b for a, b in zip(line(lines[(1, 1)]), line(lines[(0, 1)]))]
    check(close(one, want), f"one action at 0.6: {one} != {want}")
    check(lines[(0.6, 1)]["risk_weighted"]["method"].startswith("exact"), "one action: exact")
    check(line(lines[(1, 1)]) == [y["cumulative"] for y in lines[(1, 1)]["years"]], "delivery 1 is the central line")
    # two actions
    both = line(lines[(0.6, 0.3)])
    want = [0.6 * 0.3 * a + 0.6 * 0.7 * b + 0.4 * 0.3 * c + 0.4 * 0.7 * d
            for a, b, c, d in zip(line(lines[(1, 1)]), line(lines[(1, 0)]), line(lines[(0, 1)]), line(lines[(0, 0)]))]
    check(close(both, want), f"two actions at 0.6 and 0.3: {both} != {want}")
    for key in ("in_year", "spend", "ehcps"):
        got = line(lines[(0.6, 0.3)], key)
        want = [0.6 * 0.3 * a + 0.6 * 0.7 * b + 0.4 * 0.3 * c + 0.4 * 0.7 * d
                for a, b, c, d in zip(line(lines[(1, 1)], key), line(lines[(1, 0)], key), line(lines[(0, 1)], key),
                                      line(lines[(0, 0)], key))]
        check(close(got, want), f"two actions, {key}: {got} != {want}")
    acts = lines[(0.6, 0.3)]["risk_weighted"]["actions"]
    check([a["delivery"] for a in acts] == [0.6, 0.3], f"the actions at risk are listed: {acts}")
    check("(4 projections)" in lines[(0.6, 0.3)]["risk_weighted"]["method"], "4 projections")

    # 21 spend savings at 0.5: sampled, near the exact linear answer
    n = len(BASE["scenarios"]["many"]["interventions"])
    certain = run(with_delivery("many", [None] * n), tmp, "many1")
    half = run(with_delivery("many", [0.5] * n), tmp, "many05")
    base_line = [y["cumulative"] for y in certain["base"]["years"]]
    full = [y["cumulative"] for y in certain["many"]["years"]]
    exact = [b + 0.5 * (f - b) for b, f in zip(base_line, full)]
    got = line(half["many"])
    check(half["many"]["risk_weighted"]["method"].startswith("sampled: 4096"), half["many"]["risk_weighted"]["method"])
    # the sampled mean's standard error: each saving s_i on or off with p = 0.5
    ok = True
    for k in range(len(exact)):
        # the standard deviation of one combination's line is at most half the total saving
        sd = 0.5 * abs(full[k] - base_line[k])
        if abs(got[k] - exact[k]) > 4 * sd / math.sqrt(4096) + 1e-6:
            ok = False
    check(ok, f"sampled: {got} not within 4 standard errors of {exact}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
