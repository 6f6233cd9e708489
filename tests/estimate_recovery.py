#!/usr/bin/env python3
"""The recovery test of `hnbsim estimate` (docs/estimation.md), and the
generator of its worked example.

A known Markov model of EHCPs by age, need and setting (leave, move and join
rates that differ by all three, a known population) generates a person-level
history, child by child; `hnbsim estimate` estimates a scenario file from it;
and the test checks that

1. every estimated rate is the count it rests on over its children at risk
   (the file's rates against its own "estimation" block), and every count is
   within its sampling error of the known model: given the children at risk
   at each age (counted from the history), the leavers of a band are a sum
   of binomials with the known rates, and so are the moves to each
   destination, so z = (count - expected) / sd must be small for every band
   and the sum of z^2 must lie where a chi-square with that many degrees of
   freedom lies;
2. the forecast of the estimated file, run by the engine (`hnbsim run`),
   equals the one-step forecast the file states, and lies within the stated
   error (sd_rates, the sampling error of the rates) of the known model's
   expected counts, placement by placement (sum of z^2 again); and over the
   whole horizon (six censuses), every year's forecast by placement lies
   within the error the rates' uncertainty gives (a Monte Carlo of the
   estimated file with montecarlo.rate_uncertainty on, drawing every rate
   from its counts) of the known model's expected counts, stepped year by
   year over age and placement;
3. the same checks FAIL against a wrong model (leave rates 25% higher, move
   rates halved), the horizon's in every year: the test can tell a right
   answer from a wrong one.

Usage: estimate_recovery.py HNBSIM SOURCE_DIR            (the test)
       estimate_recovery.py --example OUT_DIR            (the worked example files)
"""
import json, math, os, random, subprocess, sys, tempfile
from statistics import NormalDist

SETTINGS = ["MS", "SP", "IN"]        # mainstream, special, independent
NEEDS = ["ASD", "SEMH", "SLCN"]
Y0, Y1 = 2016, 2021                  # transition years: January 2016 to January 2022
MAXA = 25


def leave_rate(a, n, s, scale=1.0):
    base = 0.03 if a < 16 else (0.15 if a < 19 else 1.0)
    if a >= 19:
        return 1.0
    r = base * {"ASD": 0.8, "SEMH": 1.5, "SLCN": 1.2}[n] * {"MS": 1.3, "SP": 0.7, "IN": 1.0}[s]
    return min(1.0, r * scale)


def moves(a, n, s, scale=1.0):
    """Shares of the children who stay in SEND, from (n, s) at age a to (n2, s2) at a+1."""
    k = 3.0 if a + 1 == 11 else 1.0   # the Year 7 transfer (age 11 at the new census)
    out = {}
    if s == "MS":
        out[(n, "SP")] = 0.04 * k * {"ASD": 1.0, "SEMH": 0.6, "SLCN": 0.5}[n]
        out[(n, "IN")] = 0.01 * k * {"ASD": 0.8, "SEMH": 1.6, "SLCN": 0.3}[n]
    elif s == "SP":
        out[(n, "IN")] = 0.02 * k
    if n == "SLCN" and a < 11:
        out[("ASD", s)] = out.get(("ASD", s), 0) + 0.03
    out = {q: v * scale for q, v in out.items()}
    out[(n, s)] = 1.0 - sum(out.values())
    return out


def join_rate(a):
    return 0.004 if 4 <= a <= 10 else 0.002 if 11 <= a <= 15 else 0.001 if 16 <= a <= 18 else 0.0


def first_shares(a, n_only=False):
    sp = 0.1 if a < 11 else 0.25
    ind = 0.03 if a < 11 else 0.08
    sh = {}
    for n, w in zip(NEEDS, [0.45, 0.25, 0.30] if a < 11 else [0.40, 0.45, 0.15]):
        sh[(n, "MS")] = w * (1 - sp - ind)
        sh[(n, "SP")] = w * sp
        sh[(n, "IN")] = w * ind
    return sh


POP_SCALE = [1.0]  # the worked example is a smaller authority


def population(y, a):
    return round(20000 * POP_SCALE[0] * (1.01 ** (y - Y0)) * (1.0 - 0.005 * a))


def draw(rng, shares):
    u, acc = rng.random(), 0.0
    items = sorted(shares.items())
    for q, p in items:
        acc += p
        if u < acc:
            return q
    return items[-1][0]


def poisson(rng, lam):
    # normal approximation above 50, exact (Knuth) below: good enough for a generator
    if lam > 50:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


def generate(rng, scale=1.0):
    """Person-level history: list of (year, s1, n1, ay1, s2, n2, ay2)."""
    kids = []  # (age, need, setting) at January Y0
    for a in range(4, 19):
        for (n, s), w in first_shares(a).items():
            kids += [(a, n, s)] * int(round(400 * scale * w))
    rows = []
    for y in range(Y0, Y1 + 1):
        nxt = []
        for (a, n, s) in kids:
            if rng.random() < leave_rate(a, n, s):
                rows.append((y, s, n, a - 4, "NONSEND", "NONSEND", a - 3))
                continue
            n2, s2 = draw(rng, moves(a, n, s))
            rows.append((y, s, n, a - 4, s2, n2, a - 3))
            nxt.append((a + 1, n2, s2))
        for a2 in range(0, MAXA + 1):
            lam = join_rate(a2) * population(y, a2)
            for _ in range(poisson(rng, lam) if lam > 0 else 0):
                n2, s2 = draw(rng, first_shares(a2))
                rows.append((y, "NONSEND", "NONSEND", a2 - 5, s2, n2, a2 - 4))
                nxt.append((a2, n2, s2))
        kids = nxt
    return rows


def write_files(d, rows):
    with open(os.path.join(d, "history.csv"), "w") as f:
        f.write("calendar-year,setting-1,need-1,academic-year-1,setting-2,need-2,academic-year-2\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\n")
    with open(os.path.join(d, "population.csv"), "w") as f:
        f.write("calendar-year,academic-year,population\n")
        for y in range(Y0, 2031):
            for a in range(0, MAXA + 1):
                f.write(f"{y},{a - 4},{population(y, a)}\n")
    with open(os.path.join(d, "costs.csv"), "w") as f:
        f.write("need,setting,cost\n")
        for n in NEEDS:
            for s, c in zip(SETTINGS, [9000, 26000, 60000]):
                f.write(f"{n},{s},{c * (1.2 if n == 'SEMH' else 1.0):.0f}\n")


# ---- the checks -------------------------------------------------------------

def exposures(rows):
    """Children at risk by (placement id, age at t) and the stock at January Y1+1."""
    risk, stock = {}, {}
    for (y, s1, n1, ay1, s2, n2, ay2) in rows:
        if s1 != "NONSEND":
            k = (f"{s1}-{n1}", ay1 + 4)
            risk[k] = risk.get(k, 0) + 1
        if y == Y1 and s2 != "NONSEND":
            k = (f"{s2}-{n2}", ay2 + 4)
            stock[k] = stock.get(k, 0) + 1
    return risk, stock


def pid(n, s):
    return f"{s}-{n}"


def split(p):
    s, n = p.split("-")
    return n, s


def binom_pmf(n, p):
    if p <= 0:
        return [1.0] + [0.0] * n
    if p >= 1:
        return [0.0] * n + [1.0]
    lp, lq = math.log(p), math.log1p(-p)
    return [math.exp(math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * lp + (n - k) * lq)
            for k in range(n + 1)]


def exact_z(x, parts):
    """x against a sum of binomials [(n, p), ...]: the two-sided mid-p value of
    the exact distribution, as a normal z with the sign of x - mean (small
    counts are skewed: a normal approximation would overstate them)."""
    pmf = [1.0]
    for n, p in parts:
        b = binom_pmf(n, p)
        out = [0.0] * (len(pmf) + len(b) - 1)
        for i, u in enumerate(pmf):
            if u:
                for j, v in enumerate(b):
                    out[i + j] += u * v
        pmf = out
    x = int(round(x))
    px = pmf[x] if x < len(pmf) else 0.0
    below = sum(pmf[:min(x, len(pmf))])
    above = max(0.0, 1.0 - below - px)
    pv = min(1.0, 2 * min(below + 0.5 * px, above + 0.5 * px))
    mean = sum(n * p for n, p in parts)
    z = -NormalDist().inv_cdf(max(pv / 2, 1e-300))
    return z if x >= mean else -z


def rate_checks(doc, risk, lscale, mscale):
    """z-scores of every band's leavers and moves against the known model:
    given the children at risk at each age, a band's count is a sum of
    binomials with the known rates (exact_z)."""
    zs = []
    est = doc["estimation"]
    for p, e in est["placements"].items():
        n, s = split(p)
        for b in e["bands"]:
            lo, hi = b["ages"]
            lp, mv = [], {}
            for a in range(lo, hi + 1):
                E = risk.get((p, a), 0)
                L = leave_rate(a, n, s, lscale)
                lp.append((E, L))
                for (n2, s2), m in moves(a, n, s, mscale).items():
                    mv.setdefault(pid(n2, s2), []).append((E, (1 - L) * m))
            if 0 < sum(E * L for E, L in lp) < sum(E for E, _ in lp):
                zs.append(("leave", p, lo, hi, exact_z(b["left"], lp)))
            for q, parts in mv.items():
                if q != p:
                    zs.append(("move", p + "->" + q, lo, hi, exact_z(b["to"].get(q, 0), parts)))
            for q in b["to"]:
                if q not in mv and q != p:
                    zs.append(("move", p + "->" + q, lo, hi, 99.0))  # a move the known model cannot make
    # joiners by age (Poisson with the known rate x population, summed over the
    # years) and their first placements (binomial, given the joiners at each age)
    jn = est["joiners"]
    years = range(est["years"][0], est["years"][1] + 1)
    for a, x in enumerate(jn["by_age"]):
        lam = sum(join_rate(a) * population(y, a) for y in years)
        if lam > 0:
            zs.append(("joiners", f"age {a}", a, a, (x - lam) / math.sqrt(lam)))
    for b in jn["first_placement"]:
        lo, hi = b["ages"]
        per_age = {}
        for a in range(lo, hi + 1):
            per_age[a] = sum(1 for r in JOINERS if r == a)
        for (n2, s2) in first_shares(lo):
            q = pid(n2, s2)
            parts = [(per_age[a], first_shares(a)[(n2, s2)]) for a in range(lo, hi + 1) if per_age[a]]
            if parts:
                zs.append(("first placement", q, lo, hi, exact_z(b["to"].get(q, 0), parts)))
    return zs


JOINERS = []  # ages at t+1 of every joiner in the history (set by main)


def known_forecast(stock, pop_year, lscale, mscale):
    out = {}
    for (p, a), c in stock.items():
        n, s = split(p)
        L = leave_rate(a, n, s, lscale) if a < MAXA else 1.0
        for (n2, s2), m in moves(a, n, s, mscale).items():
            q = pid(n2, s2)
            out[q] = out.get(q, 0) + c * (1 - L) * m
    for a2 in range(0, MAXA + 1):
        J = join_rate(a2) * population(pop_year, a2)
        for (n2, s2), w in first_shares(a2).items():
            out[pid(n2, s2)] = out.get(pid(n2, s2), 0) + J * w
    return out


def known_path(stock, years, lscale, mscale):
    """The known model's expected EHCPs by placement at each of `years`
    censuses after the starting stocks (January Y1+1), stepping the whole
    age x placement state: the multi-year forecast a right estimate must
    reproduce within its stated error."""
    st, out = dict(stock), []
    for k in range(years):
        nxt = {}
        for (p, a), c in st.items():
            if a >= MAXA:
                continue
            n, s = split(p)
            L = leave_rate(a, n, s, lscale)
            for (n2, s2), m in moves(a, n, s, mscale).items():
                q = (pid(n2, s2), a + 1)
                nxt[q] = nxt.get(q, 0) + c * (1 - L) * m
        for a2 in range(0, MAXA + 1):
            J = join_rate(a2) * population(Y1 + 1 + k, a2)
            for (n2, s2), w in first_shares(a2).items():
                q = (pid(n2, s2), a2)
                nxt[q] = nxt.get(q, 0) + J * w
        st = nxt
        tot = {}
        for (p, a), c in st.items():
            tot[p] = tot.get(p, 0) + c
        out.append(tot)
    return out


def chi2_ok(zs):
    k = len(zs)
    x2 = sum(z * z for z in zs)
    return abs(x2 - k) <= 4 * math.sqrt(2 * k), x2, k


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--example":
        d = sys.argv[2]
        os.makedirs(d, exist_ok=True)
        POP_SCALE[0] = 0.15
        write_files(d, generate(random.Random(2026), scale=0.15))
        return 0
    hnb, src = sys.argv[1], sys.argv[2]
    bad = []
    with tempfile.TemporaryDirectory() as d:
        rows = generate(random.Random(14))
        write_files(d, rows)
        out = os.path.join(d, "estimated.json")
        r = subprocess.run([hnb, "estimate", os.path.join(d, "history.csv"), "--population",
                            os.path.join(d, "population.csv"), "--costs", os.path.join(d, "costs.csv"),
                            "--out", out], capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout, r.stderr)
            print("FAIL: hnbsim estimate exited", r.returncode)
            return 1
        doc = json.load(open(out))
        sc = doc["scenarios"]["estimated"]
        risk, stock = exposures(rows)
        # 1a. the file's rates are its counts over the children at risk
        nchk = 0
        for p, e in doc["estimation"]["placements"].items():
            lv = sc["leavers"]["by_placement"].get(p)
            for b in e["bands"]:
                for a in range(b["ages"][0], b["ages"][1] + 1):
                    nchk += 1
                    if abs(lv[a] - b["left"] / b["at_risk"]) > 1e-12:
                        bad.append(f"{p} age {a}: leave rate {lv[a]} is not {b['left']}/{b['at_risk']}")
                if sum(risk.get((p, a), 0) for a in range(b["ages"][0], b["ages"][1] + 1)) != b["at_risk"]:
                    bad.append(f"{p} ages {b['ages']}: at_risk {b['at_risk']} is not the history's count")
        for a in range(0, MAXA):
            mx = [m for m in sc["moves"] if m["ages"] == [a + 1, a + 1]]
            for p, e in doc["estimation"]["placements"].items():
                b = [b for b in e["bands"] if b["ages"][0] <= a <= b["ages"][1]]
                if not b:
                    continue
                b = b[0]
                stay = b["at_risk"] - b["left"]
                row = mx[0]["matrix"].get(p) if mx else None
                for q, c in b["to"].items():
                    nchk += 1
                    want = c / stay
                    got = row.get(q, 0) if row else (1.0 if q == p else 0.0)
                    if abs(got - want) > 1e-12:
                        bad.append(f"{p} age {a}->{a + 1}: move share to {q} {got} is not {c}/{stay}")
        JOINERS.extend(r[6] + 4 for r in rows if r[1] == "NONSEND")
        # 1b. every count within its sampling error of the known model
        zs = rate_checks(doc, risk, 1.0, 1.0)
        worst = max(zs, key=lambda z: abs(z[4]))
        ok, x2, k = chi2_ok([z[4] for z in zs])
        print(f"rates: {k} counts against the known model, sum z^2 = {x2:.1f} (chi-square, {k} df: "
              f"{k - 4 * math.sqrt(2 * k):.0f} to {k + 4 * math.sqrt(2 * k):.0f}); worst {worst[0]} {worst[1]} "
              f"ages {worst[2]}-{worst[3]}: z = {worst[4]:+.2f} (exact)")
        if not ok:
            bad.append(f"rates: sum z^2 {x2:.1f} outside the chi-square range for {k} df")
        if abs(worst[4]) > 4.42:  # a two-sided p-value below 1e-5
            bad.append(f"rates: |z| {abs(worst[4]):.2f} > 4.42 for {worst[0]} {worst[1]} ages {worst[2]}-{worst[3]}")
        # 2. the engine's forecast of the estimated file against the known model
        run_dir = os.path.join(d, "run")
        r = subprocess.run([hnb, "run", out, "--out", run_dir, "--no-charts", "--no-spreadsheets", "--quiet"],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout, r.stderr)
            print("FAIL: hnbsim run of the estimated file exited", r.returncode)
            return 1
        res = json.load(open(os.path.join(run_dir, "results.json")))
        y0 = res["scenarios"][0]["years"][0]
        engine = y0["ehcps"]["by_placement"]
        stated = doc["estimation"]["forecast"]["placements"]
        known = known_forecast(stock, Y1 + 1, 1.0, 1.0)
        fz = []
        for p, st in stated.items():
            if abs(engine[p] - st["expected"]) > 1e-6 * (1 + st["expected"]):
                bad.append(f"forecast {p}: the engine gives {engine[p]}, the file states {st['expected']}")
            fz.append((p, (engine[p] - known.get(p, 0)) / st["sd_rates"]))
        okf, fx2, fk = chi2_ok([z for _, z in fz])
        fw = max(fz, key=lambda z: abs(z[1]))
        tot_e, tot_k = sum(engine.values()), sum(known.values())
        print(f"forecast January {Y1 + 2}: {tot_e:.1f} EHCPs estimated, {tot_k:.1f} known; by placement sum z^2 = "
              f"{fx2:.1f} ({fk} df); worst {fw[0]}: z = {fw[1]:+.2f}")
        if not okf or abs(fw[1]) > 4.5:
            bad.append(f"forecast: sum z^2 {fx2:.1f} ({fk} df), worst z {fw[1]:+.2f}: not within the stated error")
        # 2b. the whole horizon: the engine's forecast of every year against the
        # known model's expected counts, with the error the rates' own
        # uncertainty gives (Monte Carlo with rate_uncertainty on, no count
        # noise: 1,000 paths; sd = (P95 - P5) / 3.29, the normal's). Years are
        # correlated, so each year's placements are a chi-square of their own.
        ru = json.loads(json.dumps(doc))
        ru["scenarios"]["estimated"]["montecarlo"] = {"rate_uncertainty": True, "source": "estimate_recovery.py"}
        ru_file = os.path.join(d, "ru.json")
        json.dump(ru, open(ru_file, "w"))
        r = subprocess.run([hnb, "run", ru_file, "--out", os.path.join(d, "ru"), "--paths", "1000", "--seed", "1",
                            "--no-charts", "--no-spreadsheets", "--quiet"], capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stdout, r.stderr)
            print("FAIL: the rate-uncertainty Monte Carlo of the estimated file exited", r.returncode)
            return 1
        rres = json.load(open(os.path.join(d, "ru", "results.json")))["scenarios"][0]
        years = rres["years"]
        known_h = known_path(stock, len(years), 1.0, 1.0)
        wrong_h = known_path(stock, len(years), 1.25, 0.5)
        hz, hzw, hbad = [], [], []
        for k, (y, my) in enumerate(zip(years, rres["montecarlo"]["years"])):
            zk, zkw = [], []
            for p, det in y["ehcps"]["by_placement"].items():
                q = my["ehcps_by_placement"][p]
                sd = (q["p95"] - q["p5"]) / 3.29
                zk.append((p, (det - known_h[k].get(p, 0)) / sd))
                zkw.append((det - wrong_h[k].get(p, 0)) / sd)
            okk, xk, nk = chi2_ok([z for _, z in zk])
            hz.append((y["census"], xk, max(zk, key=lambda z: abs(z[1]))))
            hzw.append(chi2_ok(zkw))
            if not okk or abs(hz[-1][2][1]) > 4.5:
                hbad.append(y["census"])
        tot_k = sum(known_h[-1].values())
        tot_e = years[-1]["ehcps"]["total"]
        print(f"horizon to January {years[-1]['census']}: {tot_e:.1f} EHCPs estimated, {tot_k:.1f} known; by placement "
              f"sum z^2 per year (9 df) " + ", ".join(f"{c}: {x:.1f}" for c, x, _ in hz) +
              f"; worst {max(hz, key=lambda h: abs(h[2][1]))[2][0]} z = "
              f"{max((h[2][1] for h in hz), key=abs):+.2f} (sd: the rates' uncertainty, Monte Carlo)")
        if hbad:
            bad.append(f"horizon: the forecast is not within the stated error of the known model in {hbad}")
        print("against the wrong model, the horizon's sum z^2 per year: " + ", ".join(f"{x:.0f}" for _, x, _ in hzw) +
              ": every year must fail")
        if any(ok for ok, _, _ in hzw):
            bad.append("the horizon check does not tell the known model from a wrong one in every year")
        # 3. the same checks fail against a wrong model
        zw = rate_checks(doc, risk, 1.25, 0.5)
        okw, xw, kw = chi2_ok([z[4] for z in zw])
        wrong = known_forecast(stock, Y1 + 1, 1.25, 0.5)
        fzw = [(engine[p] - wrong.get(p, 0)) / st["sd_rates"] for p, st in stated.items()]
        okfw, fxw, _ = chi2_ok(fzw)
        print(f"against a wrong model (leave x1.25, moves x0.5): rates sum z^2 = {xw:.0f} ({kw} df), forecast sum "
              f"z^2 = {fxw:.0f} ({fk} df): both must fail")
        if okw or okfw:
            bad.append("the checks do not tell the known model from a wrong one")
        # pooling happened somewhere and is stated (the test covers pooled bands too)
        pooled = sum(1 for e in doc["estimation"]["placements"].values() for b in e["bands"]
                     if b["ages"][0] < b["ages"][1])
        print(f"{pooled} pooled bands; {nchk} rates and shares checked against their counts")
        if pooled == 0:
            bad.append("no band was pooled: the test does not cover pooling")
    for b in bad:
        print("FAIL:", b)
    print("estimate_recovery:", "ok" if not bad else f"{len(bad)} failures")
    return 1 if bad else 0


sys.exit(main())
