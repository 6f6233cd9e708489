"""Tests of the hnbsim Python module (ctest python_module, and
install_python against an installed prefix).

The module's figures are checked against the results JSON that the hnbsim
program writes for the same run (same scenario files, paths, seed), so the
Python door and the command line cannot drift apart: every yearly figure of
Results.table() and the DataFrame, the Monte Carlo percentiles, Model.figure()
(the C accessor), and the whole document. Errors carry the library's exact
messages.

Environment: HNB_BIN (the hnbsim program), HNB_SRC (the source tree, for
tests/data), SOURCE_DATE_EPOCH (so both runs write the same run date);
HNBSIM_LIBRARY when testing the build tree's library."""

import json
import math
import os
import shutil
import subprocess
import tempfile
import unittest

import hnbsim

BIN = os.environ["HNB_BIN"]
SRC = os.environ["HNB_SRC"]
DATA = os.path.join(SRC, "tests", "data")
SUTTON = os.path.join(SRC, "scenarios", "sutton", "sutton.json")


_cache = {}


def once(key, make):
    """Each Sutton run costs seconds (minutes under the sanitizers): run each once."""
    if key not in _cache:
        _cache[key] = make()
    return _cache[key]


def cli_run(*args):
    """results.json of `hnbsim run ARGS` (no charts, no spreadsheets), run once per ARGS."""
    return once(("cli",) + args, lambda: _cli_run(*args))


def _cli_run(*args):
    d = tempfile.mkdtemp(prefix="hnb-py-")
    try:
        subprocess.run([BIN, "run", *args, "--out", d, "--no-charts", "--no-spreadsheets", "--quiet"], check=True, cwd=SRC)
        with open(os.path.join(d, "results.json"), encoding="utf-8") as f:
            return json.load(f)
    finally:
        shutil.rmtree(d)


def sutton_model():
    """A Model with the embedded Sutton scenarios run deterministically (shared, read only)."""
    def make():
        m = hnbsim.Model()
        m.load_sutton()
        return m, m.run()
    return once("sutton", make)


def sutton_mc():
    """The Sutton scenarios with 100 Monte Carlo paths, seed 7, on one thread."""
    return once("sutton-mc", lambda: hnbsim.run(paths=100, seed=7, threads=1))


def same(a, b):
    """Equal numbers, None equal to NaN (the JSON's null is the tables' NaN)."""
    if a is None or b is None:
        return (a is None or (isinstance(a, float) and math.isnan(a))) and (b is None or (isinstance(b, float) and math.isnan(b)))
    return a == b


class Deterministic(unittest.TestCase):
    """tests/data/hand.json (hand-computed) and the Sutton scenario file."""

    def test_hand_case_matches_the_program(self):
        want = cli_run("tests/data/hand.json")
        with hnbsim.Model() as m:
            m.load(os.path.join(DATA, "hand.json"))
            res = m.run()
            self.assertEqual(m.scenario_names, ["base"])
            # the hand-computed figures (tests/test_model.c)
            self.assertAlmostEqual(res["base"].year("2025-26")["cumulative"], -159666.0 - 2.0 / 3.0, places=6)
            self.assertAlmostEqual(m.figure("scenarios.base.years.2026-27.in_year"), 171980.0, places=6)
        rows = res.table()
        self.assertEqual(len(rows), len(want["scenarios"][0]["years"]))
        for r, y in zip(rows, want["scenarios"][0]["years"]):
            self.assertEqual(r["fy"], y["fy"])
            for k in ("in_year", "cumulative", "interest", "joiners", "leavers", "overflow"):
                self.assertTrue(same(r[k], y[k]), (r["fy"], k, r[k], y[k]))
            for k in ("ehcps", "spend", "funding"):
                self.assertEqual(r[k], y[k]["total"])
            for p, v in y["ehcps"]["by_placement"].items():
                self.assertEqual(r["ehcps.by_placement." + p], v)
            for p, v in y["spend"]["by_line"].items():
                self.assertEqual(r["spend.by_line." + p], v)
            for p, v in y["unit_costs"].items():
                self.assertEqual(r["unit_costs." + p], v)

    def test_sutton_document_equals_results_json(self):
        want = cli_run()
        m, res = sutton_model()
        got = res.data
        self.assertEqual(got["inputs"], ["(embedded) sutton.json"])
        self.assertEqual(got, want)  # every figure, label and source, exactly
        with open(SUTTON, encoding="utf-8") as f:
            names = list(json.load(f)["scenarios"])
        self.assertEqual(m.scenario_names, names)
        self.assertEqual(res.names, m.scenario_names)
        for s in want["scenarios"]:
            self.assertEqual(res[s["name"]].series("cumulative"), {y["fy"]: y["cumulative"] for y in s["years"]})
            self.assertEqual(res[s["name"]].headline, s["headline"])
        # savings rows are the file's actions, year by year
        rows = res.savings_table()
        self.assertTrue(rows)
        for row in rows:
            s = next(x for x in want["scenarios"] if x["name"] == row["scenario"])
            a = next(x for x in s["savings"]["actions"] if x["name"] == row["action"])
            self.assertEqual(row["saving"], a["by_year"][row["fy"]])

    def test_figure_accessor_reads_what_the_json_says(self):
        want = cli_run()
        m, _ = sutton_model()
        for s in want["scenarios"]:
            for y in s["years"]:
                self.assertEqual(m.figure(f"scenarios.{s['name']}.years.{y['fy']}.cumulative"), y["cumulative"])
                self.assertEqual(m.figure(f"scenarios.{s['name']}.years.{y['fy']}.spend.total"), y["spend"]["total"])
            self.assertEqual(m.figure(f"scenarios.{s['name']}.headline.cumulative_at_override_end"),
                             s["headline"]["cumulative_at_override_end"])
        with self.assertRaises(hnbsim.InputError) as e:
            m.figure("scenarios.baseline.years.2040-41.cumulative")
        self.assertEqual(e.exception.code, 206)
        self.assertEqual(e.exception.problems, [
            "results: scenarios.baseline.years.2040-41: no such element "
            "(expected an index or the name, fy, id or scenario of an element)"])

    def test_installed_sutton_file_is_the_embedded_one(self):
        p = hnbsim.sutton_path()
        if p is None:
            self.skipTest("the module runs from the source tree: no installed share/hnbsim")
        with open(p, encoding="utf-8") as a, open(SUTTON, encoding="utf-8") as b:
            self.assertEqual(a.read(), b.read())


class MonteCarlo(unittest.TestCase):
    def test_percentiles_match_the_program_on_any_threads(self):
        want = cli_run("--paths", "100", "--seed", "7", "--threads", "2")
        one = sutton_mc()
        self.assertEqual(one.data, want)  # one thread here, two there: the same figures
        rows = one.montecarlo_table()
        self.assertTrue(rows)
        for r in rows:
            s = next(x for x in want["scenarios"] if x["name"] == r["scenario"])
            y = next(x for x in s["montecarlo"]["years"] if x["fy"] == r["fy"])
            v = y
            for step in r["figure"].split("."):  # "ehcps_by_placement.nmi"
                v = v[step]
            for k in ("mean", "p5", "p50", "p95"):
                self.assertEqual(r[k], v[k])
        figures = {r["figure"] for r in rows}
        self.assertTrue({"cumulative", "in_year", "ehcps", "ehcps_by_placement.nmi"} <= figures, figures)
        self.assertEqual(one.data["montecarlo"], {"paths": 100, "seed": 7})

    def test_paths_out_needs_paths(self):
        with self.assertRaises(hnbsim.UsageError):
            hnbsim.run(os.path.join(DATA, "hand.json"), paths_out="x.csv")


class Pandas(unittest.TestCase):
    def setUp(self):
        try:
            import pandas  # noqa: F401
        except ImportError:
            self.skipTest("pandas is not installed (python3-pandas): DataFrame checks skipped")

    def test_dataframe_figures(self):
        want = cli_run()
        _, res = sutton_model()
        df = res.dataframe()
        n = sum(len(s["years"]) for s in want["scenarios"])
        self.assertEqual(len(df), n)
        for s in want["scenarios"]:
            for y in s["years"]:
                row = df.loc[(s["name"], y["fy"])]
                self.assertEqual(row["cumulative"], y["cumulative"])
                self.assertEqual(row["in_year"], y["in_year"])
                self.assertEqual(row["ehcps"], y["ehcps"]["total"])
                self.assertEqual(row["census"], y["census"])
        hl = res.headline_dataframe()
        self.assertEqual(hl.loc["baseline", "cumulative_at_override_end"],
                         want["scenarios"][0]["headline"]["cumulative_at_override_end"])
        self.assertEqual(len(res.montecarlo_dataframe()), 0)
        mc = sutton_mc().montecarlo_dataframe()
        wmc = cli_run("--paths", "100", "--seed", "7", "--threads", "2")
        y = next(x for x in wmc["scenarios"][0]["montecarlo"]["years"] if x["fy"] == "2027-28")
        self.assertEqual(mc.loc[("baseline", "2027-28", "cumulative"), "p95"], y["cumulative"]["p95"])


class Errors(unittest.TestCase):
    def test_bad_scenario_file(self):
        path = os.path.join(DATA, "bad", "negative-cost.json")
        with self.assertRaises(hnbsim.InputError) as e:
            hnbsim.run(path)
        self.assertTrue(200 <= e.exception.code < 300)
        cli = subprocess.run([BIN, "validate", path], capture_output=True, text=True)
        self.assertEqual(cli.returncode, 1)
        self.assertEqual(["hnbsim: error: " + p for p in e.exception.problems], cli.stderr.strip().split("\n"))
        self.assertEqual(hnbsim.validate(path), e.exception.problems)
        self.assertEqual(hnbsim.validate(os.path.join(DATA, "hand.json")), [])

    def test_missing_file(self):
        with self.assertRaises(hnbsim.FileError) as e:
            hnbsim.run("/nonexistent/x.json")
        self.assertEqual(e.exception.code, 301)
        self.assertEqual(e.exception.strerror, "cannot open file")

    def test_no_results_yet(self):
        with hnbsim.Model() as m:
            with self.assertRaises(hnbsim.RunError) as e:
                m.results()
            self.assertEqual(e.exception.code, 104)
            with self.assertRaises(hnbsim.UsageError):
                m.run()  # nothing loaded
            with self.assertRaises(hnbsim.UsageError):
                m.load_sutton().run(paths=-1)


class Files(unittest.TestCase):
    def test_results_round_trip_and_outputs(self):
        d = tempfile.mkdtemp(prefix="hnb-py-")
        try:
            with hnbsim.Model() as m:
                m.load(os.path.join(DATA, "hand.json"))
                res = m.run()
                p = os.path.join(d, "results.json")
                m.write_results(p)
                self.assertEqual(hnbsim.load_results(p).data, res.data)
                m.write_spreadsheets(d)
                self.assertTrue(os.path.exists(os.path.join(d, "hnbsim.xlsx")))
                if shutil.which("gnuplot"):
                    m.write_charts(os.path.join(d, "charts"), formats=["svg"])
                    self.assertTrue(os.path.exists(os.path.join(d, "charts", "cumulative.svg")))
            self.assertEqual(hnbsim.version(), subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.split()[-1])
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
