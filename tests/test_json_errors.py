#!/usr/bin/env python3
"""JSON syntax errors as people tell them (model/core/jsyntax.c; issue 18).

Each case is a small file with one common mistake. `hnbsim validate` must exit
1 and print the file, the line and column of the mistake, the probable
mistake, the line's own text and a caret under the column. A file reached
through "extends" is not echoed (only its line, column and hint). Sweep files
and results files are told the same way.

Usage: test_json_errors.py HNBSIM_BINARY"""
import os, subprocess, sys, tempfile

BIN = sys.argv[1]
# (name, text, "line:col", hint fragment, the echoed line)
CASES = [
    ("comma in a number", '{\n "scenarios": {\n  "a": {"x": 1,000}\n }\n}\n', "3:15", "a comma inside a number",
     '  "a": {"x": 1,000}'),
    ("comma in a money figure", '{"a": {"amount": 21,500,000}}', "1:20", "1000000, not 1,000,000", None),
    ("trailing comma in an object", '{"a": 1,\n}', "2:1", "a trailing comma before '}'", "}"),
    ("trailing comma in a list", '{"a": [1, 2,]}', "1:13", "a trailing comma before ']'", '{"a": [1, 2,]}'),
    ("missing comma", '{\n "a": 1\n "b": 2\n}', "3:2", "the value that ends at line 2, column 8", ' "b": 2'),
    ("single quotes on a key", "{'a': 1}", "1:2", "a key in single quotes", "{'a': 1}"),
    ("single quotes on a value", '{"a": \'x\'}', "1:7", "text in single quotes", None),
    ("unquoted key", '{"a": 1, b: 2}', "1:10", "a key without quotes", None),
    ("a // comment", '{\n // the council\'s own figure\n "a": 1}', "2:2", "JSON has no comments", None),
    ("a /* comment */", '{"a": 1 /* note */}', "1:9", "JSON has no comments", None),
    ("a percent sign", '{"growth": 9%}', "1:13", "0.09 for 9%", None),
    ("a pound sign", '{"amount": £62,000}', "1:12", "62000, not £62,000", None),
    ("True in capitals", '{"a": True}', "1:7", "in lower case", None),
    ("a string left open", '{"a": "x}', "1:7", "a string that is never closed", None),
    ("a bracket missing at the end", '{"a": {"b": 1}', "1:15", "the file ends inside an object", None),
    ("a ] for a }", '{"a": {"b": 1]}', "1:14", "a ']' that closes an object", None),
    ("= for :", '{"a" = 1}', "1:6", "':' between a key and its value", None),
    ("a number starting with .", '{"a": .5}', "1:7", "0.5, not .5", None),
]

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


with tempfile.TemporaryDirectory() as tmp:
    for i, (name, text, where, hint, line) in enumerate(CASES):
        f = os.path.join(tmp, f"case{i:02d}.json")
        open(f, "w", encoding="utf-8").write(text)
        p = subprocess.run([BIN, "validate", f], capture_output=True, text=True)
        err = p.stderr
        check(p.returncode == 1, f"{name}: exit {p.returncode}, expected 1\n{err}")
        check(f"{f}:{where}: malformed JSON: " in err, f"{name}: not at {where}\n{err}")
        check(hint in err, f"{name}: no hint \"{hint}\"\n{err}")
        lines = err.splitlines()
        col = int(where.split(":")[1])
        if line is not None:
            check(any(l.endswith("| " + line) for l in lines), f"{name}: the line's text is not shown\n{err}")
        # the caret sits under the column: "        | " then col-1 spaces
        carets = [l for l in lines if l.rstrip().endswith("^")]
        check(len(carets) == 1, f"{name}: no caret line\n{err}")
        if carets and len(lines) >= 2:
            text_line = lines[lines.index(carets[0]) - 1]
            bar = text_line.index("| ") + 2
            check(carets[0].index("^") - bar == col - 1, f"{name}: the caret is not under column {col}\n{err}")
    # a parent reached through extends is not echoed
    parent = os.path.join(tmp, "parent.json")
    open(parent, "w").write('{"format": "hnbsim-scenarios", "secret": "hunter2",\n}')
    child = os.path.join(tmp, "child.json")
    open(child, "w").write('{"format": "hnbsim-scenarios", "title": "t", "authority": "a", "source": "s", '
                           '"scenarios": {"c": {"extends": "parent.json#base"}}}')
    p = subprocess.run([BIN, "validate", child], capture_output=True, text=True)
    check(p.returncode == 1 and "parent.json:2:1: malformed JSON: a trailing comma" in p.stderr,
          f"extends: line, column and hint\n{p.stderr}")
    check("hunter2" not in p.stderr and "^" not in p.stderr, f"extends: the parent's text is echoed\n{p.stderr}")

    # the sweep file and the results file readers tell it the same way
    sw = os.path.join(tmp, "sweep.json")
    open(sw, "w").write('{"format": "hnbsim-sweep",\n "sweeps": [1, 2,]\n}')
    p = subprocess.run([BIN, "sweep", sw, "--no-charts", "--out", os.path.join(tmp, "sw")], capture_output=True,
                       text=True)
    check(p.returncode == 1 and f"{sw}:2:18: malformed JSON: a trailing comma before ']'" in p.stderr
          and '|  "sweeps": [1, 2,]' in p.stderr, f"a sweep file\n{p.stderr}")
    rs = os.path.join(tmp, "results.json")
    open(rs, "w").write('{"format": "hnbsim-results", "scenarios": [{"name": \'a\'}]}')
    p = subprocess.run([BIN, "compare", rs], capture_output=True, text=True)
    check(p.returncode == 1 and f"{rs}:1:53: malformed JSON: text in single quotes" in p.stderr,
          f"a results file\n{p.stderr}")

print(f"{len(CASES)} cases")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
