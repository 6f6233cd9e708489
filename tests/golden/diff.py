#!/usr/bin/env python3
"""Print the figures that differ between two folders of golden results files.

Usage: diff.py EXPECTED_DIR NEW_DIR. For each file present in both, walks the
two JSON trees side by side and prints every number or string that changed,
with its JSON path, largest relative changes first (at most 25 per file).
Exit status 1 if anything differs."""
import json, os, sys

def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append((float("inf"), f"{path}.{k}", a.get(k, "<absent>"), b.get(k, "<absent>")))
            else:
                walk(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((float("inf"), f"{path}[len]", len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            key = x.get("name") if isinstance(x, dict) and "name" in x else i
            walk(x, y, f"{path}[{key}]", out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        if a != b:
            rel = abs(a - b) / max(abs(a), abs(b), 1e-300)
            out.append((rel, path, a, b))
    elif a != b:
        out.append((float("inf"), path, a, b))

def main():
    old, new = sys.argv[1], sys.argv[2]
    changed = False
    if not os.path.isdir(old):
        print(f"{old}: no expected results yet")
        return 1
    names = sorted(set(os.listdir(old)) | set(os.listdir(new)))
    for n in names:
        if not n.endswith(".json"):
            continue
        po, pn = os.path.join(old, n), os.path.join(new, n)
        if not os.path.exists(po) or not os.path.exists(pn):
            print(f"{n}: {'new' if not os.path.exists(po) else 'removed'}")
            changed = True
            continue
        out = []
        walk(json.load(open(po)), json.load(open(pn)), "$", out)
        if not out:
            continue
        changed = True
        out.sort(key=lambda t: -t[0])
        print(f"{n}: {len(out)} figures differ")
        for rel, p, a, b in out[:25]:
            r = "" if rel == float("inf") else f"  ({rel:.2e} relative)"
            print(f"  {p}: {a!r} -> {b!r}{r}")
    return 1 if changed else 0

sys.exit(main())
