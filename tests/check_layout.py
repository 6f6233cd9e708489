#!/usr/bin/env python3
"""The layout's rules, checked (docs/architecture.md).

Usage: check_layout.py SOURCE_DIR

1. Every quoted #include in model/, plots/, report/, cli/ and examples/ follows an arrow
   the architecture allows (ROOMS below): the model never includes a chart or
   spreadsheet header, the engine never includes the loader, and so on.
2. No include cycle between files.
3. No source file over 800 lines, unless docs/architecture.md names it under
   "Files over 800 lines" with the reason.
Prints every breach and exits 1 if there is one."""
import os, re, sys

# room -> rooms it may include (itself always allowed). "public" is the
# public headers: model/hnbsim.h, plots/hnbsim_plots.h, report/hnbsim_report.h.
ROOMS = {
    "core": {"public"},
    "input": {"core", "public"},
    "import": {"core", "public"},
    "engine": {"core", "public"},
    "estimate": {"core", "public"},
    "analysis": {"engine", "core", "public"},
    "results": {"analysis", "engine", "core", "public"},
    "api": {"results", "analysis", "engine", "estimate", "input", "import", "core", "public"},
    "plots": {"results", "core", "public"},
    "report": {"results", "core", "public"},
    "cli": {"public"},
    "examples": {"public"},
}
PUBLIC = {"model/hnbsim.h", "plots/hnbsim_plots.h", "report/hnbsim_report.h"}
LIMIT = 800


def room_of(rel):
    if rel in PUBLIC:
        return "public"
    parts = rel.split("/")
    if parts[0] == "model":
        return parts[1] if len(parts) > 2 else "public"
    return parts[0]


def resolve(src, rel, name):
    """The file a quoted include names: beside the includer, then model/."""
    for base in (os.path.dirname(rel), "model", "plots", "report"):
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.exists(os.path.join(src, cand)):
            return cand
    return None


def main():
    src = sys.argv[1]
    files = []
    for top in ("model", "plots", "report", "cli", "examples"):
        for d, _, names in os.walk(os.path.join(src, top)):
            for n in names:
                if n.endswith((".c", ".h", ".def")):
                    files.append(os.path.relpath(os.path.join(d, n), src))
    bad = []
    graph = {}
    for rel in sorted(files):
        text = open(os.path.join(src, rel), encoding="utf-8").read()
        graph[rel] = []
        for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            target = resolve(src, rel, m.group(1))
            if target is None:
                continue  # generated or system header
            graph[rel].append(target)
            a, b = room_of(rel), room_of(target)
            if a == "public" or a == b:
                continue
            if b not in ROOMS.get(a, set()):
                bad.append(f"{rel}: includes {m.group(1)} ({a} -> {b} is not an arrow of docs/architecture.md)")
    # cycles: depth-first search with colours
    colour, stack = {}, []

    def visit(f):
        colour[f] = 1
        stack.append(f)
        for g in graph.get(f, []):
            if colour.get(g) == 1:
                bad.append("include cycle: " + " -> ".join(stack[stack.index(g):] + [g]))
            elif g not in colour:
                visit(g)
        stack.pop()
        colour[f] = 2

    for f in sorted(graph):
        if f not in colour:
            visit(f)
    # long files
    arch = os.path.join(src, "docs", "architecture.md")
    allowed = set()
    if os.path.exists(arch):
        t = open(arch, encoding="utf-8").read()
        m = re.search(r"^#+ Files over 800 lines\n(.*?)(?=^#|\Z)", t, re.M | re.S)
        if m:
            allowed = set(re.findall(r"`([^`]+\.[ch])`", m.group(1)))
    for d in ("model", "plots", "report", "cli", "examples", "bench", "fuzz"):
        for dd, _, names in os.walk(os.path.join(src, d)):
            for n in names:
                if n.endswith((".c", ".h")):
                    p = os.path.relpath(os.path.join(dd, n), src)
                    lines = sum(1 for _ in open(os.path.join(src, p), encoding="utf-8"))
                    if lines > LIMIT and p not in allowed:
                        bad.append(f"{p}: {lines} lines (over {LIMIT}; split it, or say why in docs/architecture.md)")
    for b in bad:
        print(b)
    print(f"layout: {len(files)} files, {sum(len(v) for v in graph.values())} includes, {len(bad)} problems")
    return 1 if bad else 0


sys.exit(main())
