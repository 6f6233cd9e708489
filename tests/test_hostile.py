#!/usr/bin/env python3
"""Hostile input through the real command line (issue 20): bytes that are not
text, `extends` that reaches outside the scenario's folder or into a file that
is not JSON, and scenarios too large to run in reasonable time.

Each case writes a hostile file into a fresh folder, runs `hnbsim validate`
and `hnbsim run` on it (and `compare`, `plot`, `export` for results files),
and checks the exit code, that the message names the file and the JSON path
or line:column, that no content of a non-JSON file is quoted, and that the
output folder is byte-identical to before the failed run (a previous set is
left exactly as it was).

Usage: test_hostile.py HNBSIM_BINARY SOURCE_DIR"""
import copy, hashlib, json, os, subprocess, sys, tempfile

BIN, SRC = sys.argv[1], sys.argv[2]
BASE = json.load(open(os.path.join(SRC, "tests", "data", "example.json")))
failures = []


def run(*args, cwd=None):
    p = subprocess.run([BIN] + list(args), capture_output=True, cwd=cwd)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def tree_digest(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def expect(name, rc, err, code, parts, absent=()):
    ok = rc == code and all(p in err for p in parts) and not any(a in err for a in absent)
    if not ok:
        failures.append(name)
        print(f"FAIL {name}: rc={rc} (want {code})\n{err}")
    else:
        print(f"ok   {name}: rc={rc}: {err.strip().splitlines()[0] if err.strip() else ''}")


def scenario_bytes(mutate=None):
    d = copy.deepcopy(BASE)
    if mutate:
        mutate(d)
    return json.dumps(d, indent=1, ensure_ascii=False).encode()


def label(value):
    def m(d):
        d["scenarios"]["baseline"]["label"] = value
    return m


work = tempfile.mkdtemp(prefix="hnb-hostile-")
prev = os.path.join(work, "prev")  # a previous set of outputs that must survive
rc, err = run("run", os.path.join(SRC, "tests", "data", "example.json"), "--out", prev, "--no-charts", "--quiet")
assert rc == 0, err
before = tree_digest(prev)
results = open(os.path.join(prev, "results.json"), "rb").read()

# ---- 1. NUL bytes and invalid UTF-8 in scenario files ------------------------
TEXT_CASES = [
    ("invalid UTF-8 in a label", scenario_bytes(label("XXBAD")).replace(b"XXBAD", b"Base\xffline"),
     ["scenarios.baseline.label", "invalid UTF-8 in the string at byte 5"]),
    ("overlong UTF-8 in a title", scenario_bytes(lambda d: d.update(title="XXBAD")).replace(b"XXBAD", b"T\xc0\xafx"),
     ["title", "invalid UTF-8"]),
    ("UTF-16 surrogate bytes in a source", scenario_bytes(lambda d: d.update(source="XXBAD")).replace(
        b"XXBAD", b"\xed\xa0\x80"), ["source", "invalid UTF-8"]),
    ("invalid UTF-8 in a placement name (a key)", scenario_bytes().replace(b'"nmi":', b'"nm\xfei":', 1),
     ["scenarios.baseline", "invalid UTF-8 in the key"]),
    ("raw NUL inside a label", scenario_bytes(label("XXBAD")).replace(b"XXBAD", b"Ba\x00se"),
     [":16: a NUL byte inside a string"]),
    ("\\u0000 inside an id", scenario_bytes(label("XXBAD")).replace(b"XXBAD", b"Ba\\u0000se"),
     ["\\u0000 inside a string"]),
    ("NUL outside any string", scenario_bytes() + b"\x00", ["a NUL byte in the file"]),
]
for name, data, parts in TEXT_CASES:
    d = tempfile.mkdtemp(dir=work)
    f = os.path.join(d, "hostile.json")
    open(f, "wb").write(data)
    rc, err = run("validate", f)
    expect("validate: " + name, rc, err, 1, [f] + parts)
    rc, err = run("run", f, "--out", prev, "--no-charts", "--quiet")
    expect("run: " + name, rc, err, 1, [f] + parts)
    if tree_digest(prev) != before:
        failures.append("outputs changed: " + name)

# ---- the same in results files ------------------------------------------------
i = results.index(b'"label"')
j = results.index(b'"', i + 9)
RES_CASES = [
    ("results: invalid UTF-8 in a label", results[:j + 1] + b"\xc3(" + results[j + 1:],
     ["scenarios[0].label", "invalid UTF-8"]),
    ("results: NUL inside a label", results[:j + 1] + b"\x00" + results[j + 1:], ["a NUL byte inside a string"]),
    ("results: \\u0000 inside a label", results[:j + 1] + b"\\u0000" + results[j + 1:], ["\\u0000 inside a string"]),
]
for name, data, parts in RES_CASES:
    d = tempfile.mkdtemp(dir=work)
    f = os.path.join(d, "results.json")
    open(f, "wb").write(data)
    for cmd in (["compare", f, os.path.join(prev, "results.json")], ["plot", f, "--out", os.path.join(d, "p")],
                ["export", f, "--out", os.path.join(d, "x")]):
        rc, err = run(*cmd)
        expect(cmd[0] + ": " + name, rc, err, 1, [f] + parts)
    if sorted(os.listdir(d)) != ["results.json"]:
        failures.append("something written: " + name)

# ---- 2. extends: relative to the naming file, inside the scenario's folder ----
t = tempfile.mkdtemp(dir=work)
os.makedirs(os.path.join(t, "tree", "sub"))
os.makedirs(os.path.join(t, "other"))
json.dump(BASE, open(os.path.join(t, "other", "parent.json"), "w"))
json.dump(BASE, open(os.path.join(t, "tree", "parent.json"), "w"))
json.dump(BASE, open(os.path.join(t, "tree", "sub", "parent.json"), "w"))
open(os.path.join(t, "tree", "notes.txt"), "w").write("SECRET-PASSWORD=hunter2 {\n")


def child(path, ext):
    json.dump({"format": "hnbsim-scenarios",
               "scenarios": {"child": {"extends": ext, "label": "Child"}}}, open(os.path.join(t, path), "w"))
    return os.path.join(t, path)


inside = child("tree/inside.json", "sub/parent.json#baseline")
chain = child("tree/sub/chain.json", "parent.json#baseline")  # tree/sub/parent.json, relative to chain.json
outside = child("tree/outside.json", "../other/parent.json#baseline")
up = child("tree/sub/up.json", "../parent.json#baseline")
absolute = child("tree/abs.json", "/etc/passwd#baseline")
notjson = child("tree/notjson.json", "notes.txt#baseline")
rc, err = run("validate", inside)
expect("extends into a subfolder", rc, err, 0, [])
rc, err = run("validate", chain)
expect("extends relative to the file that names it", rc, err, 0, [])
rc, err = run("validate", "inside.json", cwd=os.path.join(t, "tree"))
expect("extends relative to the file, not the working folder", rc, err, 0, [])
for name, f, ext in (("extends outside the folder", outside, "../other/parent.json"),
                     ("extends to the parent folder", up, "../parent.json"),
                     ("extends to an absolute path", absolute, "/etc/passwd")):
    rc, err = run("validate", f)
    expect(name, rc, err, 1, [f + ": scenarios.child.extends: parent file \"" + ext + "\" is outside the folder of",
                              "--allow-outside"])
    rc, err = run("run", f, "--out", prev, "--no-charts", "--quiet")
    expect("run: " + name, rc, err, 1, ["is outside the folder"])
rc, err = run("validate", "--allow-outside", outside)
expect("extends outside with --allow-outside", rc, err, 0, [])
rc, err = run("validate", "--allow-outside", absolute)
expect("--allow-outside: /etc/passwd is not quoted", rc, err, 1, ["/etc/passwd:1:1: malformed JSON"], ["root:"])
rc, err = run("validate", notjson)
expect("extends a file that is not JSON: not quoted", rc, err, 1, ["notes.txt:1:1: malformed JSON"],
       ["SECRET", "hunter2"])
if err.count("malformed JSON") != 1:
    failures.append("the non-JSON parent reported more than once")
if tree_digest(prev) != before:
    failures.append("outputs changed by an extends case")

# ---- 3. bounded cost: documented limits ---------------------------------------
def horizon(fy):
    def m(d):
        d["scenarios"]["baseline"]["horizon"] = fy
        d["scenarios"]["baseline"].pop("backtest", None)
    return m


def placements(n):
    def m(d):
        b = d["scenarios"]["baseline"]
        for k in range(n - len(b["placements"])):
            b["placements"]["extra%d" % k] = copy.deepcopy(b["placements"]["nmi"])
    return m


def actions(n):
    def m(d):
        p = d["scenarios"]["plan"]
        one = {"name": "Early help", "type": "reduce_joiners", "start": "2025-09-01", "share": 0.0001}
        p["interventions"] = [dict(one, name="Early help %d" % k) for k in range(n)]
    return m


def max_age(n):
    def m(d):
        d["scenarios"]["baseline"]["max_age"] = n
    return m


LIMIT_CASES = [
    ("horizon of 31 financial years", horizon("2055-56"), ["scenarios.baseline.horizon",
     "31 financial years from 2025-26: too many to run in reasonable time",
     "expected at most 30 financial years, 2025-26 to 2054-55 at the latest"]),
    ("horizon of 174 years", horizon("2198-99"), ["scenarios.baseline.horizon", "174 financial years"]),
    ("401 placements", placements(401), ["scenarios.baseline.placements: 401 placements: too many",
                                         "expected at most 400 placements"]),
    ("201 actions", actions(201), ["scenarios.plan.interventions: 201 actions: too many",
                                   "expected at most 200 actions"]),
    ("1,000 actions", actions(1000), ["scenarios.plan.interventions: 1000 actions"]),
    ("max_age 31 (32 ages)", max_age(31), ["scenarios.baseline.max_age", "31"]),
]
for name, mutate, parts in LIMIT_CASES:
    d = tempfile.mkdtemp(dir=work)
    f = os.path.join(d, "big.json")
    open(f, "wb").write(scenario_bytes(mutate))
    rc, err = run("validate", f)
    expect("validate: " + name, rc, err, 1, [f] + parts)
    rc, err = run("run", f, "--out", prev, "--no-charts", "--quiet")
    expect("run: " + name, rc, err, 1, [f] + parts[:1])
    if tree_digest(prev) != before:
        failures.append("outputs changed: " + name)
# at the limits themselves the file loads
for name, mutate in (("horizon of 30 years", horizon("2054-55")), ("200 actions", actions(200))):
    d = tempfile.mkdtemp(dir=work)
    f = os.path.join(d, "edge.json")
    open(f, "wb").write(scenario_bytes(mutate))
    rc, err = run("validate", f)
    expect("validate at the limit: " + name, rc, err, 0, [])

print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
