#!/usr/bin/env python3
"""The man page and the program's own help agree (ctest man_help).

Usage: check_man.py HNBSIM_BINARY MAN_PAGE CLI_SOURCE_DIR

1. The commands `hnbsim --help` lists are exactly the .SS sections under
   COMMANDS in the man page, so a new subcommand fails here until the man
   page has its section.
2. For each command, the options of `hnbsim <command> --help` (its usage
   line and its indented option lines) are exactly the options of the .TP
   items of its section.
3. The global options (--help, --version) and the exit codes of
   `hnbsim --help` are the .TP items of GLOBAL OPTIONS and EXIT STATUS.
4. Every option the command-line sources name ("--xxx" in cli/*.c) is in
   the man page, so an option added to a parser without its help fails too.
5. The version in the man page's .TH line is `hnbsim --version`.
Prints every disagreement, with what to change, and exits 1 if any."""
import glob
import os
import re
import subprocess
import sys

OPT = re.compile(r"--[a-z][a-z0-9-]*")


def run(binary, *args):
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"check_man: {binary} {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def man_sections(text):
    """{section title: {subsection title or "": [lines]}} of the roff source."""
    out, sec, sub = {}, None, ""
    for line in text.splitlines():
        if line.startswith(".SH "):
            sec, sub = line[4:].strip().strip('"'), ""
            out[sec] = {"": []}
        elif line.startswith(".SS ") and sec:
            sub = line[4:].strip().strip('"')
            out[sec][sub] = []
        elif sec:
            out[sec][sub].append(line)
    return out


def tp_tags(lines):
    """The tag line of each .TP item, roff escapes undone."""
    tags = []
    for i, line in enumerate(lines):
        if line.strip() == ".TP" and i + 1 < len(lines):
            tags.append(lines[i + 1].replace("\\-", "-"))
    return tags


def tag_options(lines):
    return {m for t in tp_tags(lines) for m in OPT.findall(t)}


def help_options(text):
    """Options of a command's --help: all those on its usage line, and the
    one each indented option line starts with (not those its text mentions)."""
    opts = set()
    for line in text.splitlines():
        if line.startswith("Usage:"):
            opts.update(OPT.findall(line))
        m = re.match(r"^\s+(--[a-z][a-z0-9-]*)", line)
        if m:
            opts.add(m.group(1))
    return opts - {"--help"}


def main():
    binary, manpath, clidir = sys.argv[1:4]
    src = open(manpath, encoding="utf-8").read()
    man = man_sections(src)
    bad = []
    top = run(binary, "--help")
    commands = []
    for line in top.splitlines():
        m = re.match(r"^\s+hnbsim ([a-z][a-z0-9-]*)\b", line)
        if m and m.group(1) not in commands:
            commands.append(m.group(1))
    if not commands:
        sys.exit("check_man: found no commands in `hnbsim --help` (expected lines '  hnbsim <command> ...')")
    # a section's command is the first word of its title, roff escapes undone ("import\-sen2")
    msecs = {re.sub(r"\\f[A-Z]", "", sub).replace("\\-", "-").split()[0]: lines
             for sub, lines in man.get("COMMANDS", {}).items() if sub}
    for c in commands:
        if c not in msecs:
            bad.append(f"{manpath}: command '{c}' is in `hnbsim --help` but has no section (add `.SS \"{c} ...\"` "
                       f"under .SH COMMANDS, with a .TP item per option of `hnbsim {c} --help`)")
    for c in msecs:
        if c not in commands:
            bad.append(f"{manpath}: section '.SS {c}' names no command of `hnbsim --help` (remove it, or add the command)")
    for c in commands:
        if c not in msecs:
            continue
        h = help_options(run(binary, c, "--help"))
        mo = tag_options(msecs[c])
        for o in sorted(h - mo):
            bad.append(f"{manpath}: {c}: option {o} is in `hnbsim {c} --help` but not in the man page (add a .TP item)")
        for o in sorted(mo - h):
            bad.append(f"{manpath}: {c}: option {o} is in the man page but not in `hnbsim {c} --help` (add it to the help, or remove it)")
    # global options and exit codes
    g = {o for o in OPT.findall(top) if o in ("--help", "--version")}
    mg = tag_options(man.get("GLOBAL OPTIONS", {}).get("", []))
    if g != mg:
        bad.append(f"{manpath}: GLOBAL OPTIONS lists {sorted(mg)}, `hnbsim --help` {sorted(g)} (expected the same)")
    m = re.search(r"Exit codes:(.*?)(?:\.|$)", top.replace("\n", " "))
    codes = set(re.findall(r"\b(\d)\s", m.group(1))) if m else set()
    mcodes = {t.replace(".B", "").strip() for t in tp_tags(man.get("EXIT STATUS", {}).get("", []))}
    if not codes or codes != mcodes:
        bad.append(f"{manpath}: EXIT STATUS lists {sorted(mcodes)}, `hnbsim --help` {sorted(codes)} (expected the same)")
    # every option the sources know
    unescaped = src.replace("\\-", "-")
    for f in sorted(glob.glob(os.path.join(clidir, "*.c"))):
        for lit in re.findall(r'"((?:[^"\\]|\\.)*)"', open(f, encoding="utf-8").read()):
            for o in OPT.findall(lit):
                if o not in unescaped:
                    bad.append(f"{manpath}: option {o} (in {os.path.basename(f)}) is not in the man page (document it)")
    # version
    v = run(binary, "--version").split()[-1]
    th = re.search(r'^\.TH\s+\S+\s+\S+\s+\S+\s+"hnbsim ([^"]+)"', src, re.M)
    if not th or th.group(1) != v:
        bad.append(f"{manpath}: .TH says version {th.group(1) if th else '(none)'}, hnbsim --version {v} (expected the same)")
    for b in sorted(set(bad)):
        print(b)
    print(f"man_help: {len(commands)} commands ({', '.join(commands)}), {len(set(bad))} problems")
    return 1 if bad else 0


sys.exit(main())
