#!/usr/bin/env python3
"""One test per finding of issue 20, each with its hostile input, through the
real `hnbsim` (and real gnuplot).

Every hostile scenario here also carries a label that would run a command if
it ever reached a shell or gnuplot as code: `touch PAYLOAD` in backquotes and
in $(...). Each case asserts the exit code, the message (the file and its JSON
path where there is one), that PAYLOAD was never created (no command ran), and
that an earlier output folder is byte-identical after the failed run (hidden
files too: no staging folder or temporary left behind).

Usage: test_findings.py HNBSIM_BINARY SOURCE_DIR"""
import copy, hashlib, json, os, shutil, signal, subprocess, sys, tempfile, time

BIN, SRC = sys.argv[1], sys.argv[2]
BASE = json.load(open(os.path.join(SRC, "tests", "data", "example.json")))
work = tempfile.mkdtemp(prefix="hnb-findings-")
PAYLOAD = os.path.join(work, "PAYLOAD")
HOSTILE_LABEL = "Baseline `touch %s` $(touch %s)" % (PAYLOAD, PAYLOAD)
failures = []


def run(*args, env=None, cwd=None):
    p = subprocess.run([BIN] + list(args), capture_output=True, env=env, cwd=cwd)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def digest(d):
    out = {}
    for root, dirs, files in os.walk(d):
        for f in dirs + files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = "dir" if os.path.isdir(p) else hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def check(name, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    if not ok:
        failures.append(name)


def case(name, rc, err, code, parts, folder=None, before=None, absent=()):
    """The exit code, every part in the message, nothing in `absent`, no
    payload, and `folder` as it was."""
    check(name + ": exit %d" % code, rc == code, "exit %d\n%s" % (rc, err))
    missing = [p for p in parts if p not in err]
    check(name + ": message", not missing, "missing %r in\n%s" % (missing, err))
    quoted = [a for a in absent if a in err]
    check(name + ": nothing quoted", not quoted, "%r in\n%s" % (quoted, err))
    check(name + ": no command ran", not os.path.exists(PAYLOAD), "the payload file was created")
    if folder is not None:
        check(name + ": output folder byte-identical", digest(folder) == before, "the folder changed")
    if os.path.exists(PAYLOAD):
        os.remove(PAYLOAD)


def scenario(mutate=None, hostile_label=True):
    d = copy.deepcopy(BASE)
    if hostile_label:
        d["scenarios"]["baseline"]["label"] = HOSTILE_LABEL
    if mutate:
        mutate(d)
    return json.dumps(d, indent=1, ensure_ascii=False).encode()


def write(name, data):
    d = tempfile.mkdtemp(dir=work)
    p = os.path.join(d, name)
    open(p, "wb").write(data)
    return p


# an earlier set of outputs (with charts) that every failed run must leave alone
prev = os.path.join(work, "prev")
rc, err = run("run", os.path.join(SRC, "tests", "data", "example.json"), "--out", prev, "--format", "png")
assert rc == 0, err
before = digest(prev)
results = json.load(open(os.path.join(prev, "results.json")))

# ---- 1. a label runs shell commands (gnuplot's backquotes) -------------------
f = write("label.json", scenario())
out = os.path.join(work, "label-out")
rc, err = run("run", f, "--out", out, "--format", "png")
case("1. run: a label with `...` and $(...), charts drawn", rc, err, 0, [])
check("1. run: the label reached the results as text",
      json.load(open(os.path.join(out, "results.json")))["scenarios"][0]["label"] == HOSTILE_LABEL)
crafted = copy.deepcopy(results)
crafted["scenarios"][0]["label"] = HOSTILE_LABEL
crafted["title"] = "Title `touch %s`" % PAYLOAD
rf = write("results.json", json.dumps(crafted).encode())
rc, err = run("plot", rf, "--out", os.path.join(work, "plot-out"), "--format", "png")
case("1. plot: a crafted results file with `...` in a label and the title", rc, err, 0, [])

# ---- 2. compare crashed on a damaged results file; plot accepted more ---------
tiny = write("results.json", b'{"format":"hnbsim-results","scenarios":[{}]}')
for cmd in (["compare", tiny, os.path.join(prev, "results.json")], ["compare", tiny],
            ["plot", tiny, "--out", prev + "-plot"], ["export", tiny, "--out", prev + "-export"]):
    rc, err = run(*cmd)
    case("2. %s of {\"scenarios\":[{}]}" % cmd[0], rc, err, 1,
         [tiny + ": scenarios[0].name: missing", "scenarios[0].years: missing"], prev, before)
    check("2. %s: nothing written" % cmd[0], not os.path.exists(prev + "-plot") and not os.path.exists(prev + "-export"))

# ---- 3. invalid UTF-8 and NUL (the full set: tests/test_hostile.py) -----------
for name, data, part in (
        ("invalid UTF-8 in a label", scenario().replace(b"DSG management plan", b"DSG \xff plan"),
         "scenarios.plan.label: invalid UTF-8"),
        ("a NUL inside a label", scenario().replace(b"DSG management plan", b"DSG \\u0000 plan"),
         "\\u0000 inside a string")):
    f = write("text.json", data)
    rc, err = run("run", f, "--out", prev, "--format", "png")
    case("3. run: " + name, rc, err, 1, [f, part], prev, before)

# ---- 4. a folder of outputs ended up mixed -------------------------------------
f = write("ok.json", scenario(hostile_label=False))
env = dict(os.environ, PATH="/nonexistent")
rc, err = run("run", f, "--out", prev, "--format", "png", env=env)
case("4. run: gnuplot not on PATH, looked for before the model runs", rc, err, 3,
     ["gnuplot: not found on PATH", "--no-charts"], prev, before)
fake = tempfile.mkdtemp(dir=work)
open(os.path.join(fake, "gnuplot"), "w").write("#!/bin/sh\ncat > /dev/null\necho 'gnuplot: a failure' >&2\nexit 1\n")
os.chmod(os.path.join(fake, "gnuplot"), 0o755)
env = dict(os.environ, PATH=fake + ":" + os.environ.get("PATH", ""))
rc, err = run("run", f, "--out", prev, "--format", "png", env=env)
case("4. run: gnuplot fails after results, workbook and CSV are written", rc, err, 3, ["gnuplot"], prev, before)

# ---- 5. cost without bound ------------------------------------------------------
def actions(n):
    def m(d):
        one = {"name": "Early help", "type": "reduce_joiners", "start": "2025-09-01", "share": 0.0001}
        d["scenarios"]["plan"]["interventions"] = [dict(one, name="Early help %d" % k) for k in range(n)]
    return m


def horizon(d):
    d["scenarios"]["baseline"]["horizon"] = "2198-99"
    d["scenarios"]["baseline"].pop("backtest", None)


for name, mutate, part in (("1,000 actions", actions(1000), "scenarios.plan.interventions: 1000 actions: too many"),
                           ("a 174-year horizon", horizon, "scenarios.baseline.horizon: 174 financial years")):
    f = write("big.json", scenario(mutate))
    rc, err = run("validate", f)
    case("5. validate: " + name, rc, err, 1, [f, part])
    rc, err = run("run", f, "--out", prev, "--format", "png")
    case("5. run: " + name, rc, err, 1, [f, part], prev, before)

# ---- 6. --paths-out and SIGTERM / SIGINT left paths.csv.tmp.<pid> -------------
for sig in (signal.SIGTERM, signal.SIGINT):
    side = tempfile.mkdtemp(dir=work)
    paths = os.path.join(side, "paths.csv")
    p = subprocess.Popen([BIN, "run", os.path.join(SRC, "tests", "data", "example.json"), "--out", prev,
                          "--no-charts", "--paths", "2000000", "--threads", "1", "--paths-out", paths,
                          "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not any(".tmp." in n for n in os.listdir(side)):
        time.sleep(0.05)
    started = any(".tmp." in n for n in os.listdir(side))
    p.send_signal(sig)
    p.wait(timeout=60)
    err = p.stderr.read().decode()
    check("6. %s: the paths file was being written" % sig.name, started)
    check("6. %s: the run was stopped by the signal" % sig.name, p.returncode == -sig, "exit %s" % p.returncode)
    check("6. %s: no temporary left beside --paths-out" % sig.name, os.listdir(side) == [], str(os.listdir(side)))
    check("6. %s: output folder byte-identical" % sig.name, digest(prev) == before)
    # a folder the interrupted run created goes again, staging folder and all
    fresh = os.path.join(side, "new-out")
    p = subprocess.Popen([BIN, "run", os.path.join(SRC, "tests", "data", "example.json"), "--out", fresh,
                          "--no-charts", "--paths", "2000000", "--threads", "1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not (os.path.isdir(fresh) and os.listdir(fresh)):
        time.sleep(0.05)
    p.send_signal(sig)
    p.wait(timeout=60)
    check("6. %s: the run into a new folder was stopped by the signal" % sig.name, p.returncode == -sig,
          "exit %s" % p.returncode)
    check("6. %s: the folder the run created is gone" % sig.name, not os.path.exists(fresh),
          str(os.listdir(fresh)) if os.path.isdir(fresh) else "")

# ---- 7. extends opened any file and quoted it ------------------------------------
tree = tempfile.mkdtemp(dir=work)
open(os.path.join(tree, "notes.txt"), "w").write("SECRET-PASSWORD=hunter2 {\n")
for name, ext, code, part in (("/etc/passwd", "/etc/passwd#baseline", 1, "is outside the folder of"),
                              ("a text file in the folder", "notes.txt#baseline", 1, "notes.txt:1:1: malformed JSON")):
    f = os.path.join(tree, "child.json")
    json.dump({"format": "hnbsim-scenarios",
               "scenarios": {"child": {"extends": ext, "label": HOSTILE_LABEL}}}, open(f, "w"))
    rc, err = run("run", f, "--out", prev, "--format", "png")
    case("7. run: extends " + name, rc, err, code, [f if code and "outside" in part else "", part], prev, before,
         absent=("root:", "SECRET", "hunter2"))

# ---- 8. a label starting with = went into the CSV as a formula -------------------
def formula(d):
    d["scenarios"]["baseline"]["label"] = "=HYPERLINK(\"http://example.invalid\",\"x\")"
    d["scenarios"]["plan"]["label"] = "+1+1"


f = write("formula.json", scenario(formula, hostile_label=False))
out = os.path.join(work, "formula-out")
rc, err = run("run", f, "--out", out, "--no-charts")
case("8. run: labels starting with = and +", rc, err, 0, [])
rows = open(os.path.join(out, "csv", "scenarios.csv"), encoding="utf-8").read().splitlines()
cells = [r.split(",", 2)[1] for r in rows[1:3]]
check("8. CSV: every such cell starts with a quote, never with = or +",
      all(c.lstrip('"').startswith("'") for c in cells), str(cells))

# ---- 9. the same file twice: two scenarios named baseline -------------------------
f = write("twice.json", scenario())
rc, err = run("run", f, f, "--out", prev, "--format", "png")
case("9. run: the same file twice", rc, err, 1,
     [f + ": scenarios.baseline: a scenario of this name is already loaded from " + f], prev, before)

# ---- 10. messages -------------------------------------------------------------------
f = write("nan.json", scenario().replace(b'"value": 0.03', b'"value": NaN', 1))
rc, err = run("run", f, "--out", prev, "--format", "png")
case("10. run: NaN in a value", rc, err, 1, [f, "malformed JSON"], prev, before)
# one message line (the whole of what was wrong and what was expected), then
# the file's line with a caret under the NaN (issue 18's syntax errors)
lines = err.strip().splitlines()
check("10. NaN: the message is one line, then the line quoted with a caret",
      len(lines) == 3 and lines[0].startswith("hnbsim: error: ") and "(expected a finite number" in lines[0]
      and "NaN" in lines[1] and lines[2].strip().endswith("^"), err)
folder = tempfile.mkdtemp(dir=work)
rc, err = run("run", folder, "--out", prev, "--format", "png")
case("10. run: a folder as the scenario file", rc, err, 3, [folder + ": is a folder (expected a file)"], prev, before)
rc, err = run("export", tiny, "--out", os.path.join(work, "export-out"))
case("10. export: the error names the results file read", rc, err, 1, [tiny + ": scenarios[0]"],
     absent=(os.path.join(work, "export-out") + ":",))
# a file the results reader accepts but the workbook cannot use: named, not the workbook
made = os.path.join(work, "made")
rc, err = run("run", os.path.join(SRC, "tests", "data", "hand.json"), "--out", made, "--no-charts",
              "--no-spreadsheets")
doc = json.load(open(os.path.join(made, "results.json")))
del doc["scenarios"][0]["first_fy"]
damaged = os.path.join(work, "damaged-results.json")
json.dump(doc, open(damaged, "w"))
for cmd in ("export", "report"):
    dest = os.path.join(work, cmd + "-out2")
    rc, err = run(cmd, damaged, "--out", dest)
    case("10. %s: a field the workbook reads missing: the results file named" % cmd, rc, err, 1,
         [damaged + ": results scenarios[0].first_fy: missing"], absent=(dest,))
    check("10. %s: nothing written" % cmd, not os.path.exists(dest))

shutil.rmtree(work, ignore_errors=True)
print("%d failures" % len(failures))
sys.exit(1 if failures else 0)
