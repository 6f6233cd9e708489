#!/usr/bin/env python3
"""gen_large.py: a need-by-setting scenario the size of a council's model, for
benchmarks (docs/engine.md). Not a real authority: every figure is made up.

19 needs x 6 settings = 114 placements (one placement per need and setting,
one need group), ages 0-25, census January 2025, five financial years
(2025-26 to 2029-30), count noise on. Moves are sparse: every row of every
matrix has at most 6 destinations (its own placement included): children
step to a more specialist setting of the same need, or to the same setting
of a neighbouring need. Four assumptions are uncertain (new plans, their
growth, the cease rates' scale through the NMI cost and an inflation), as in
the numpy peer of issue 15. Deterministic output: no randomness in here
beyond a fixed linear congruential sequence.

Usage: python3 bench/gen_large.py > /tmp/large.json
       hnbsim run /tmp/large.json --paths 10000 --threads 2 --no-charts --no-spreadsheets
"""
import json
import sys

NEEDS = ["asd", "semh", "slcn", "mld", "sld", "pmld", "spld", "hi", "vi", "msi",
         "pd", "ocn", "adhd", "dld", "tourette", "fasd", "medical", "eating", "other"]
SETTINGS = ["early_years", "mainstream", "base", "special", "nmi", "post16"]
COST = {"early_years": 9000, "mainstream": 14000, "base": 24000, "special": 38000,
        "nmi": 62000, "post16": 18000}
AGES = 26
SRC = "bench/gen_large.py: made-up figure for benchmarks"

seed = 12345


def rnd():
    """A fixed sequence in [0, 1)."""
    global seed
    seed = (1103515245 * seed + 12345) % 2147483648
    return seed / 2147483648.0


def pid(n, s):
    return n + "_" + s


def setting_ages(s):
    return {"early_years": (0, 4), "mainstream": (4, 16), "base": (4, 16),
            "special": (2, 19), "nmi": (5, 19), "post16": (16, 25)}[s]


def main():
    places = {}
    for n in NEEDS:
        for s in SETTINGS:
            places[pid(n, s)] = {"label": n.upper() + " " + s, "unit_cost": {
                "value": round(COST[s] * (0.8 + 0.4 * rnd())), "price_base": "2025-26", "source": SRC},
                "inflation": {"value": 0.03, "source": SRC}}
    # the NMI costs and one inflation are uncertain
    places[pid("asd", "nmi")]["unit_cost"]["dist"] = {"type": "pert", "min": 50000, "max": 80000}
    places[pid("semh", "nmi")]["inflation"]["dist"] = {"type": "triangular", "min": 0.02, "mode": 0.03, "max": 0.06}

    stocks = {}
    total = 0.0
    for i, n in enumerate(NEEDS):
        weight = 2.6 / (1 + i)  # a few large needs, many small (Sutton-sized: about 2,600 EHCPs)
        for s in SETTINGS:
            lo, hi = setting_ages(s)
            row = []
            for a in range(AGES):
                x = 0.0
                if lo <= a <= hi:
                    x = round(weight * {"early_years": 3, "mainstream": 9, "base": 2, "special": 4,
                                        "nmi": 1.2, "post16": 3}[s] * (0.5 + rnd()), 1)
                row.append(x)
                total += x
            stocks[pid(n, s)] = row

    order = list(places)

    def row_for(n, s, kind):
        """At most 6 destinations: stay, up to 2 more specialist settings, 2
        neighbouring needs in the same setting, post16 at 16."""
        i = NEEDS.index(n)
        stay = 0.9 if kind != "transfer" else 0.75
        dest = {}
        up = {"early_years": ["mainstream", "base"], "mainstream": ["base", "special"],
              "base": ["special", "nmi"], "special": ["nmi"], "nmi": ["special"], "post16": []}[s]
        if kind == "post16" and s in ("mainstream", "base", "special", "nmi"):
            up = ["post16"]
        for t in up:
            dest[pid(n, t)] = 1.0 + rnd()
        for j in (i - 1, i + 1):
            if 0 <= j < len(NEEDS):
                dest[pid(NEEDS[j], s)] = 0.3 + 0.3 * rnd()
        if not dest:
            return {pid(n, s): 1.0}
        w = sum(dest.values())
        out = {pid(n, s): stay}
        for k, v in dest.items():
            out[k] = round((1 - stay) * v / w, 6)
        # fix rounding so the row sums to 1
        out[pid(n, s)] = round(1 - sum(v for k, v in out.items() if k != pid(n, s)), 6)
        assert len(out) <= 6
        return out

    def matrix(kind):
        return {pid(n, s): row_for(n, s, kind) for n in NEEDS for s in SETTINGS}

    moves = [
        {"name": "school entry", "ages": [4, 4], "source": SRC, "matrix": matrix("transfer")},
        {"name": "primary", "ages": [5, 10], "source": SRC, "matrix": matrix("general")},
        {"name": "Year 6 to 7", "ages": [11, 11], "source": SRC, "matrix": matrix("transfer")},
        {"name": "secondary", "ages": [12, 15], "source": SRC, "matrix": matrix("general")},
        {"name": "post-16", "ages": [16, 16], "source": SRC, "matrix": matrix("post16")},
    ]

    age = [0, 0.01, 0.03, 0.05, 0.12, 0.1, 0.08, 0.07, 0.06, 0.06, 0.06, 0.08, 0.05,
           0.05, 0.04, 0.04, 0.04, 0.02, 0.01, 0.01, 0.01, 0.005, 0.005, 0.0, 0.0, 0.0]
    age[4] += 1 - sum(age)
    first = {}
    for i, n in enumerate(NEEDS):
        weight = 2.5 / (1 + i)
        for s, f in (("early_years", 0.1), ("mainstream", 0.55), ("base", 0.12), ("special", 0.15),
                     ("nmi", 0.05), ("post16", 0.03)):
            first[pid(n, s)] = weight * f
    w = sum(first.values())
    first = {k: round(v / w, 8) for k, v in first.items()}
    first[order[1]] = round(first[order[1]] + 1 - sum(first.values()), 8)

    scen = {
        "label": "114 placements (19 needs x 6 settings), count noise",
        "horizon": "2029-30",
        "override_end": "2028-03-31",
        "opening_balance": {"value": -20000000, "source": SRC},
        "interest_rate": {"value": 0.04, "source": SRC},
        "placements": places,
        "stocks": {"census": 2025, "source": SRC, "by_age": stocks},
        "leavers": {"source": SRC, "cease_rates": [0.05] * 16 + [0.12, 0.2, 0.2, 0.25, 0.3, 0.3, 0.35, 0.4, 0.5, 1.0]},
        "moves": moves,
        "joiners": {"driver": "new_plans", "source": SRC,
                    "count": {"value": round(total * 0.16), "source": SRC,
                              "dist": {"type": "normal", "mean": round(total * 0.16), "sd": round(total * 0.016)}},
                    "growth": {"value": 0.05, "source": SRC,
                               "dist": {"type": "triangular", "min": 0.0, "mode": 0.05, "max": 0.1}},
                    "age_distribution": age, "first_placement": first},
        "spend": {"support": {"label": "Support services", "amount": 6000000, "fy": "2025-26", "growth": 0.02,
                              "source": SRC}},
        "funding": {"hnb_allocation": {"label": "HNB allocation", "amount": round(total * 26000), "fy": "2025-26",
                                       "growth": 0.02, "source": SRC}},
        "montecarlo": {"count_noise": True, "source": SRC},
    }
    doc = {"format": "hnbsim-scenarios", "title": "Generated need-by-setting case (benchmarks)",
           "authority": "Benchmark", "source": SRC, "scenarios": {"large": scen}}
    json.dump(doc, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
