"""results.py: the results of a run as Python objects.

Owns: Results (the whole document of docs/results-format.md, as parsed
from the library's own JSON, so every figure is the exact double the C
library computed) and Scenario (one scenario's figures by financial year),
with tables as lists of dicts and, where pandas is installed, DataFrames.

Invariant: a Results object is a snapshot; running the model again makes a
new one and leaves this one as it was. Money is in £ (unrounded; negative
positions are deficits), EHCPs at the January census, financial years as
"2026-27". A figure the library leaves undefined (null in the JSON) is
None in the dicts and NaN in the tables."""

import json
import math

_PERCENTILES = ("mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95")


def _num(x):
    return math.nan if x is None else x


def _pandas():
    try:
        import pandas
    except ImportError as e:
        raise ImportError(
            "hnbsim: DataFrames need pandas (Debian: apt-get install python3-pandas); "
            "table() gives the same rows as a list of dicts"
        ) from e
    return pandas


class Scenario:
    """One scenario of a run: name, label, extends (or None), override_end
    ("2028-03-31"), years (the list of yearly dicts of results.json),
    headline (dict), and savings, montecarlo (dicts, or None)."""

    def __init__(self, doc):
        self.data = doc
        self.name = doc["name"]
        self.label = doc["label"]
        self.extends = doc.get("extends")
        self.override_end = doc.get("override_end")
        self.years = doc["years"]
        self.headline = doc["headline"]
        self.savings = doc.get("savings")
        self.montecarlo = doc.get("montecarlo")

    def __repr__(self):
        return f"<hnbsim.Scenario {self.name!r}: {len(self.years)} years>"

    @property
    def financial_years(self):
        """["2025-26", "2026-27", ...]"""
        return [y["fy"] for y in self.years]

    def year(self, fy):
        """The dict of one financial year ("2027-28")."""
        for y in self.years:
            if y["fy"] == fy:
                return y
        raise KeyError(f"{self.name}: no financial year {fy!r} (expected one of {', '.join(self.financial_years)})")

    def series(self, figure):
        """{fy: value} for a yearly figure, by its column name in rows():
        "cumulative", "in_year", "interest", "ehcps" (the total),
        "spend.by_line.nmi", ..."""
        out = {}
        for r in self.rows():
            if figure not in r:
                raise KeyError(f"{figure!r}: not a yearly figure of {self.name} (expected one of {', '.join(list(r)[3:])})")
            out[r["fy"]] = r[figure]
        return out

    def rows(self):
        """One dict per financial year: scenario, fy, census, then every
        figure of the year in results.json's order, nested objects joined
        with dots and their "total" under the parent's name: ehcps,
        ehcps.by_placement.nmi, ehcps.by_age_band.0-4, joiners, ..., spend,
        spend.by_line.nmi, funding, ..., in_year, cumulative, interest (and
        any figure a later format adds, such as writeoff)."""
        out = []
        for y in self.years:
            r = {"scenario": self.name, "fy": y["fy"], "census": y["census"]}
            _flatten(y, "", r)
            out.append(r)
        return out


def _flatten(obj, prefix, row):
    for k, v in obj.items():
        if prefix == "" and k in ("fy", "census"):
            continue
        name = prefix[:-1] if k == "total" and prefix else prefix + k
        if isinstance(v, dict):
            _flatten(v, name + ".", row)
        elif v is None or isinstance(v, (int, float)) and not isinstance(v, bool):
            row[name] = _num(v)


class Results:
    """The results of a run (or of a results file).

    data: the whole document (dict), exactly as results.json holds it;
    scenarios: the list of Scenario; results["baseline"] is one by name."""

    def __init__(self, text):
        self.json = text
        self.data = json.loads(text)
        self.scenarios = [Scenario(s) for s in self.data["scenarios"]]

    def __repr__(self):
        return f"<hnbsim.Results: {', '.join(s.name for s in self.scenarios)}>"

    def __getitem__(self, name):
        for s in self.scenarios:
            if s.name == name:
                return s
        raise KeyError(f"no scenario {name!r} (expected one of {', '.join(self.names)})")

    def __iter__(self):
        return iter(self.scenarios)

    def __len__(self):
        return len(self.scenarios)

    @property
    def names(self):
        return [s.name for s in self.scenarios]

    def write(self, path):
        """Write the document as results.json (the library's exact text)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.json)

    # ---- tables -----------------------------------------------------------

    def table(self):
        """Every scenario's years as rows (Scenario.rows), scenario by scenario;
        a figure one scenario lacks (a funding line of its own) is absent
        from the others' rows (NaN in the DataFrame)."""
        return [r for s in self.scenarios for r in s.rows()]

    def montecarlo_table(self):
        """One row per scenario, financial year and Monte Carlo figure
        (cumulative, in_year, spend, funding, ehcps, ehcps_by_placement.nmi,
        ...: every figure results.json gives percentiles of): scenario, fy,
        figure, mean, p5, p10, p25, p50, p75, p90, p95. Empty without paths."""
        out = []

        def add(s, fy, name, v):
            if isinstance(v, dict) and "p50" in v:
                r = {"scenario": s.name, "fy": fy, "figure": name}
                r.update({k: _num(v.get(k)) for k in _PERCENTILES})
                out.append(r)
            elif isinstance(v, dict):
                for k, w in v.items():
                    add(s, fy, f"{name}.{k}", w)

        for s in self.scenarios:
            for y in (s.montecarlo or {}).get("years", []):
                for k, v in y.items():
                    if k != "fy":
                        add(s, y["fy"], k, v)
        return out

    def savings_table(self):
        """One row per scenario, action and financial year: scenario,
        against, action, fy, saving (£, positive = better than the parent)."""
        out = []
        for s in self.scenarios:
            sv = s.savings
            if not sv:
                continue
            for a in sv["actions"]:
                for fy, v in a["by_year"].items():
                    out.append({"scenario": s.name, "against": sv["against"], "action": a["name"], "fy": fy, "saving": _num(v)})
        return out

    def headline_table(self):
        """One row per scenario: scenario, label and the headline figures."""
        return [dict({"scenario": s.name, "label": s.label}, **s.headline) for s in self.scenarios]

    # ---- pandas -----------------------------------------------------------

    def dataframe(self):
        """table() as a pandas DataFrame indexed by (scenario, fy)."""
        return _pandas().DataFrame(self.table()).set_index(["scenario", "fy"])

    def montecarlo_dataframe(self):
        """montecarlo_table() as a DataFrame indexed by (scenario, fy, figure)."""
        pd = _pandas()
        rows = self.montecarlo_table()
        if not rows:
            return pd.DataFrame(columns=["scenario", "fy", "figure"] + list(_PERCENTILES)).set_index(["scenario", "fy", "figure"])
        return pd.DataFrame(rows).set_index(["scenario", "fy", "figure"])

    def savings_dataframe(self):
        """savings_table() as a DataFrame."""
        return _pandas().DataFrame(self.savings_table(), columns=["scenario", "against", "action", "fy", "saving"])

    def headline_dataframe(self):
        """headline_table() as a DataFrame indexed by scenario."""
        return _pandas().DataFrame(self.headline_table()).set_index("scenario")
