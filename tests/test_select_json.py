#!/usr/bin/env python3
"""hnbsim run --json, --scenario NAME and the progress line (issue 18).

  - `run --json` prints only the headline JSON on stdout (docs/results-format.md,
    "--json"), with --quiet too; its figures are results.json's, number for number;
  - `run --scenario NAME` reports NAME and the scenarios it extends, nothing
    else; an unknown NAME is exit 1 with the names there are, and nothing written;
  - `validate --scenario NAME` prints that scenario's assumptions with £ and %;
  - the progress line (with time left) is on stderr only when stderr is a
    terminal, and never with --quiet.

Usage: test_select_json.py HNBSIM_BINARY SOURCE_DIR"""
import json, os, pty, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
EX = os.path.join(SRC, "tests", "data", "example.json")
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
    out = os.path.join(tmp, "a")
    code, so, se = run(["run", EX, "--out", out, "--no-charts", "--paths", "300", "--json"])
    check(code == 0, f"run --json: {code} {se}")
    try:
        doc = json.loads(so)
    except ValueError:
        doc = {}
        check(False, f"stdout is not JSON only:\n{so[:400]}")
    check(doc.get("format") == "hnbsim-headline" and doc.get("format_version") == 1, "format and version")
    res = json.load(open(os.path.join(out, "results.json")))
    byname = {s["name"]: s for s in res["scenarios"]}
    check([s["name"] for s in doc.get("scenarios", [])] == list(byname), "one entry a scenario, in order")
    for e in doc.get("scenarios", []):
        r = byname[e["name"]]
        check(e["label"] == r["label"], "label")
        for k, v in e["central"].items():
            check(v == r["headline"][k], f"{e['name']} central {k}: {v} != {r['headline'][k]}")
        check(e["risk_weighted"]["cumulative_at_override_end"] ==
              r["risk_weighted"]["cumulative_at_override_end"], "risk-weighted")
        mc = r["montecarlo"]
        for k in ("p5", "p50", "p95"):
            check(e["montecarlo"][k] == mc["headline"]["cumulative_at_override_end"][k], f"{k}")
            check(e["montecarlo"]["se_" + k] == mc["standard_errors"]["cumulative_at_override_end"]["se_" + k],
                  f"se_{k}")
        check(e["montecarlo"]["chance_deficit_above"] == mc["probabilities"]["deficit_at_override_end_above"],
              "chance of a deficit above the threshold")
    code, so, se = run(["run", EX, "--out", os.path.join(tmp, "b"), "--no-charts", "--json", "--quiet"])
    check(code == 0 and json.loads(so)["scenarios"][0]["montecarlo"] is None, "--json --quiet: JSON, no Monte Carlo")

    # --scenario
    sel = os.path.join(tmp, "sel")
    code, so, se = run(["run", EX, "--out", sel, "--no-charts", "--scenario", "plan-flat-funding", "--quiet"])
    check(code == 0, f"--scenario: {se}")
    names = [s["name"] for s in json.load(open(os.path.join(sel, "results.json")))["scenarios"]]
    check(names == ["baseline", "plan", "plan-flat-funding"], f"the scenario and those it extends: {names}")
    code, so, se = run(["run", EX, "--out", sel, "--no-charts", "--scenario", "baseline", "--quiet"])
    names = [s["name"] for s in json.load(open(os.path.join(sel, "results.json")))["scenarios"]]
    check(code == 0 and names == ["baseline"], f"--scenario baseline: {names}")
    gone = os.path.join(tmp, "gone")
    code, so, se = run(["run", EX, "--out", gone, "--no-charts", "--scenario", "nope"])
    check(code == 1 and "--scenario nope: no such scenario (expected one of: baseline, plan, plan-flat-funding)" in se,
          f"unknown scenario: {code} {se}")
    check(not os.path.exists(gone), "an unknown scenario writes nothing")
    code, so, se = run(["validate", EX, "--scenario", "plan"])
    check(code == 0 and "plan: " in so and "unit_cost = £" in so and "inflation = 3%" in so,
          f"validate --scenario: {code}\n{so[:600]}{se}")
    code, so, se = run(["validate", EX, "--scenario", "nope"])
    check(code == 1 and "no such scenario" in se, f"validate --scenario nope: {code} {se}")

    # the progress line: a terminal only, never with --quiet
    def with_tty(args):
        pid, fd = pty.fork()
        if pid == 0:
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            os.execv(BIN, [BIN] + args)
        buf = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
        os.waitpid(pid, 0)
        return buf.decode("utf-8", "replace")

    # the line waits a second before it shows (HNB_PROGRESS_AFTER=0: at once,
    # so that a fast machine that runs a scenario in under a second shows it)
    os.environ["HNB_PROGRESS_AFTER"] = "0"
    long_run = ["run", "--no-charts", "--no-spreadsheets", "--paths", "30000", "--threads", "1", "--scenario",
                "dsg-management-plan", "--out"]
    tty = with_tty(long_run + [os.path.join(tmp, "t1")])
    check("Monte Carlo" in tty and "paths (" in tty and "left" in tty, f"progress on a terminal:\n{tty[-300:]}")
    tty = with_tty(long_run + [os.path.join(tmp, "t2"), "--quiet"])
    check("Monte Carlo" not in tty, f"--quiet: no progress line\n{tty[-300:]}")
    code, so, se = run(["run", "--no-charts", "--no-spreadsheets", "--paths", "4000", "--threads", "1", "--out",
                        os.path.join(tmp, "t3")])
    check(code == 0 and "paths (" not in se, "not a terminal: no progress line")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
