#!/usr/bin/env python3
"""check_workbook.py: read hnbsim's spreadsheets back and check them against results.json.

Usage: check_workbook.py WORKBOOK.xlsx RESULTS.json [CSVDIR]

Run by tests/test_report.c. Standard library only (zipfile + xml.etree), so the
test suite needs nothing beyond python3: no openpyxl, no LibreOffice.

The workbook is read as Excel stores it: the sheet list, shared strings, cell
types, number formats and formulas with their cached values. The checks:
  - the sheets and their order; a title row naming the inputs and run date;
    frozen panes on every sheet;
  - figures on every sheet equal the JSON (to the 16 significant figures
    libxlsxwriter writes), in the right row and financial-year column;
  - totals, in-year, cumulative, cumulative savings and s251 lines are
    formulas (<f>), and every formula in the workbook, evaluated here from the
    cached values of the cells it names, gives its own cached value, so Excel's
    recalculation agrees with the model;
  - numbers are numbers: no year column holds a string, money cells use the
    £m format that keeps full £ in the cell;
  - with CSVDIR, every CSV file: header, RFC 4180 (CRLF, quoting), UTF-8
    without BOM, and every row, in order, equal to the JSON exactly (float(text)
    == the JSON double, not approximately; a text field that a spreadsheet
    would read as a formula carries a leading '), with nothing missing or
    extra; and beside it, when present, csv-excel/: the same bytes after a
    UTF-8 byte-order mark.
Every failure is printed; the exit status is 1 if there was any.
"""
import csv
import io
import json
import math
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

SHEETS = ["Summary", "Charts", "Children and young people", "Financial summary", "Cost model", "EHCPs",
          "Unit costs", "Savings by action", "Monte Carlo", "Assumptions", "Assumptions by age", "s251", "Actuals"]
TEMPLATE_SHEETS = ("Children and young people", "Financial summary", "Cost model", "s251")
HEAD_ROW = 5  # 1-based row of the column headings on every sheet
STATS = ["mean", "p5", "p10", "p25", "p50", "p75", "p90", "p95"]

failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
    return cond


def close(got, want):
    """libxlsxwriter writes %.16G: 16 significant figures, not always the exact double."""
    return isinstance(got, float) and math.isclose(got, float(want), rel_tol=1e-15, abs_tol=1e-9)


# ---- reading the workbook -------------------------------------------------

def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class Cell:
    def __init__(self, ref, t, style, formula, value):
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        self.ref, self.col, self.row = ref, col_index(m.group(1)), int(m.group(2))
        self.t, self.style, self.formula, self.value = t, style, formula, value

    @property
    def is_number(self):
        return self.t in (None, "n") and isinstance(self.value, float)


class Sheet:
    def __init__(self, name, cells, frozen):
        self.name, self.frozen = name, frozen
        self.cells = {(c.row, c.col): c for c in cells}

    def get(self, row, col):
        return self.cells.get((row, col))

    def text(self, row, col):
        c = self.get(row, col)
        return c.value if c is not None and isinstance(c.value, str) else None

    def rows_with(self, col, pred):
        return sorted(r for (r, c), cell in self.cells.items()
                      if c == col and isinstance(cell.value, str) and pred(cell.value))


def read_workbook(path):
    z = zipfile.ZipFile(path)
    names = set(z.namelist())
    shared = []
    if "xl/sharedStrings.xml" in names:
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])))
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fmts = {int(n.get("numFmtId")): n.get("formatCode") for n in styles.findall("m:numFmts/m:numFmt", NS)}
    xf_fmt = [fmts.get(int(xf.get("numFmtId", "0")), "builtin:" + xf.get("numFmtId", "0"))
              for xf in styles.findall("m:cellXfs/m:xf", NS)]
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
            if r.tag == PKG_NS + "Relationship"}
    sheets = []
    for s in book.findall("m:sheets/m:sheet", NS):
        target = rels[s.get("{%s}id" % REL_NS)]
        root = ET.fromstring(z.read("xl/" + target.lstrip("/").replace("xl/", "", 1)))
        cells = []
        for c in root.iter("{%s}c" % NS["m"]):
            t = c.get("t")
            f = c.find("m:f", NS)
            v = c.find("m:v", NS)
            value = None
            if t == "s":
                value = shared[int(v.text)]
            elif t == "inlineStr":
                value = "".join(x.text or "" for x in c.iter("{%s}t" % NS["m"]))
            elif t in ("str", "e", "b"):
                value = v.text if v is not None else None
            elif v is not None:
                value = float(v.text)
            cells.append(Cell(c.get("r"), t, int(c.get("s", "0")), f.text if f is not None else None, value))
        pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
        frozen = pane is not None and pane.get("state") == "frozen"
        sheets.append(Sheet(s.get("name"), cells, frozen))
    return sheets, xf_fmt


# ---- formulas ---------------------------------------------------------------

REF = r"(?:'([^']+)'!)?\$?([A-Z]+)\$?(\d+)"


RANGE = r"(?:'([^']+)'!)?\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)"


def eval_formula(formula, sheet, books):
    """Evaluate the shapes the workbook writes: sums, differences and products
    of cell references (optionally 'Other sheet'!C12), SUM and MIN over
    ranges, (1+x), and constants. Returns (value, sum of |terms|), "text" for
    the one text formula (the year of the peak deficit, checked against the
    JSON elsewhere), or None if the shape is unknown."""
    f = formula.lstrip("=")
    if f.startswith("IF(") and "INDEX(" in f and "MATCH(" in f:
        return "text"
    mag = [0.0]

    def val(name, r, c):
        src = books.get(name) if name else sheet
        cell = src.get(r, c) if src is not None else None
        v = cell.value if cell is not None and isinstance(cell.value, float) else 0.0
        mag[0] += abs(v)
        return v

    def rng(m):
        name, c0, r0, c1, r1 = m.group(1), col_index(m.group(2)), int(m.group(3)), col_index(m.group(4)), int(m.group(5))
        src = books.get(name) if name else sheet
        vals = []
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                cell = src.get(r, c)
                if cell is not None and isinstance(cell.value, float):
                    vals.append(cell.value)
                    mag[0] += abs(cell.value)
        return "[%s]" % ",".join(repr(v) for v in vals)

    expr = re.sub(RANGE, rng, f)
    expr = re.sub(REF, lambda m: repr(val(m.group(1), int(m.group(3)), col_index(m.group(2)))), expr)
    if not re.fullmatch(r"[-+*/()., 0-9e\[\]A-Z]*", expr) or re.search(r"[A-Z]{1,}(?!\()", expr.replace("SUM(", "").replace("MIN(", "").replace("MAX(", "")):
        return None

    def flat(args):
        out = []
        for a in args:
            out += a if isinstance(a, list) else [a]
        return out

    try:
        v = eval(expr, {"__builtins__": {}}, {"SUM": lambda *a: math.fsum(flat(a)) if False else sum(flat(a)),
                                              "MIN": lambda *a: min(flat(a)),
                                              "MAX": lambda *a: max(flat(a))})
    except Exception:
        return None
    return float(v), mag[0]


# ---- the workbook against the JSON -----------------------------------------

def year_columns(sheet):
    cols = {}
    for (r, c), cell in sheet.cells.items():
        if r == HEAD_ROW and isinstance(cell.value, str) and re.fullmatch(r"\d{4}-\d{2}", cell.value):
            cols[cell.value] = c
    return cols


ALL_TITLES = []  # every scenario's block title, "Label (name)"


def is_title(text):
    return any(text == t or text.startswith(t + " against") or text.startswith(t + ":") for t in ALL_TITLES)


def block(sheet, title_pred, label_col=0):
    """Rows of the block whose title (column A) satisfies title_pred, as
    label -> [rows] (a label can appear in two sections)."""
    starts = sheet.rows_with(0, title_pred)
    if not starts:
        return None
    start = starts[0]
    end = min([r for r in sheet.rows_with(0, is_title) if r > start] + [10 ** 9])
    rows = {}
    for (r, c), cell in sheet.cells.items():
        if c == label_col and start < r < end and isinstance(cell.value, str):
            rows.setdefault(cell.value, []).append(r)
    for v in rows.values():
        v.sort()
    return rows


def want_num(sheet, row, col, want, what, formula=None):
    cell = sheet.get(row, col)
    if not check(cell is not None, "%s: %s: no cell %s%d" % (sheet.name, what, col_name(col), row)):
        return
    check(cell.is_number, "%s!%s: %s: not a number cell (t=%s)" % (sheet.name, cell.ref, what, cell.t))
    check(close(cell.value, want), "%s!%s: %s: %r, expected %r" % (sheet.name, cell.ref, what, cell.value, want))
    if formula is True:
        check(cell.formula is not None, "%s!%s: %s: expected a formula" % (sheet.name, cell.ref, what))
    elif formula is False:
        check(cell.formula is None, "%s!%s: %s: expected a value, not a formula" % (sheet.name, cell.ref, what))
    elif formula:
        check(cell.formula is not None and cell.formula.startswith(formula),
              "%s!%s: %s: formula %r, expected %s..." % (sheet.name, cell.ref, what, cell.formula, formula))


def title(s):
    return "%s (%s)" % (s["label"], s["name"])


def check_workbook(path, res):
    sheets, xf_fmt = read_workbook(path)
    ALL_TITLES[:] = [title(s) for s in res["scenarios"]]
    books = {s.name: s for s in sheets}
    want_sheets = SHEETS + (["Back-test"] if res.get("backtest") else [])
    check([s.name for s in sheets] == want_sheets,
          "sheets are %r, expected %r" % ([s.name for s in sheets], want_sheets))
    fys = sorted({y["fy"] for s in res["scenarios"] for y in s["years"]})
    tfys = template_years(res, fys)
    for sh in sheets:
        check(sh.frozen or sh.name == "Charts", "%s: no frozen panes" % sh.name)
        check(sh.text(1, 0) and res["title"] in sh.text(1, 0), "%s!A1: title %r" % (sh.name, sh.text(1, 0)))
        sub = sh.text(2, 0) or ""
        for name in res["inputs"]:
            check(name in sub, "%s!A2: %r does not name input %r" % (sh.name, sub, name))
        check(res["run_date"] in sub, "%s!A2: %r does not give the run date" % (sh.name, sub))
        # Every formula recomputes to its cached value.
        for cell in sh.cells.values():
            if cell.formula is None:
                continue
            got = eval_formula(cell.formula, sh, books)
            if not check(got is not None, "%s!%s: formula %r not understood" % (sh.name, cell.ref, cell.formula)):
                continue
            if got == "text":
                check(cell.t == "str", "%s!%s: text formula without a text value" % (sh.name, cell.ref))
                continue
            val, mag = got
            check(cell.is_number and math.isclose(val, cell.value, rel_tol=1e-13, abs_tol=1e-9 + 1e-14 * mag),
                  "%s!%s: %s gives %r, cached %r" % (sh.name, cell.ref, cell.formula, val, cell.value))

    # Year columns: financial years as text, in order; nothing but numbers below them.
    for name in ["Financial summary", "EHCPs", "Unit costs", "Savings by action", "Monte Carlo", "s251",
                 "Children and young people", "Cost model"]:
        sh = books.get(name)
        if sh is None:
            continue
        cols = year_columns(sh)
        want = tfys if name in TEMPLATE_SHEETS else fys
        check(sorted(cols) == want and [cols[f] for f in want] == sorted(cols.values()),
              "%s: year headings %r, expected %r" % (name, sorted(cols, key=cols.get), want))
        for fy, c in cols.items():
            check(sh.get(HEAD_ROW, c).t == "s", "%s: heading %s is not text" % (name, fy))
        first_data = HEAD_ROW + {"EHCPs": 2, "Financial summary": 2, "Children and young people": 3}.get(name, 1)
        ycols = set(cols.values())
        for (r, c), cell in sh.cells.items():
            if r > first_data and c in ycols and cell.value is not None:
                check(cell.is_number, "%s!%s: %r is not a number (t=%s)" % (name, cell.ref, cell.value, cell.t))

    money_cells = []
    fin = books["Financial summary"]
    cols = year_columns(fin)
    for s in res["scenarios"]:
        rows = block(fin, lambda t, s=s: t == title(s))
        if not check(rows is not None, "Financial summary: no block %r" % title(s)):
            continue
        for kind, lines in (("funding", "funding_lines"), ("spend", "spend_lines")):
            for line in s[lines]:
                r = rows.get(line["label"], [None])[0]
                if not check(r is not None, "Financial summary: %s: no row %r" % (s["name"], line["label"])):
                    continue
                if kind == "spend":
                    check(fin.text(r, 1) == (line["s251"] or None), "Financial summary row %d: s251 %r, expected %r"
                          % (r, fin.text(r, 1), line["s251"]))
                # Funding and placement spend lines link to the Cost model; other spend lines are figures.
                linked = kind == "funding" or line.get("kind") == "placement"
                for y in s["years"]:
                    want_num(fin, r, cols[y["fy"]], y[kind]["by_line"][line["id"]],
                             "%s %s %s" % (s["name"], y["fy"], line["id"]),
                             formula="'Cost model'!" if linked else False)
                    money_cells.append(fin.get(r, cols[y["fy"]]))
        for label, key, pref in (("Total funding", ("funding", "total"), "SUM("),
                                 ("Total spend", ("spend", "total"), "SUM("),
                                 ("In-year position (funding less spend)", ("in_year",), True),
                                 ("Cumulative position carried forward", ("cumulative",), True),
                                 ("Interest on the deficit (not charged to the DSG)", ("interest",),
                                  False)):
            r = rows.get(label, [None])[0]
            if not check(r is not None, "Financial summary: %s: no row %r" % (s["name"], label)):
                continue
            for y in s["years"]:
                v = y
                for k in key:
                    v = v[k]
                want_num(fin, r, cols[y["fy"]], v, "%s %s %s" % (s["name"], y["fy"], label), formula=pref)
        for label, key in (("Deficit written off (stability grant or write-off)", "writeoff"),
                           ("Cumulative position before write-offs", "cumulative_gross"),
                           ("Funding from the regime after the override", "regime_funding"),
                           ("Alignment to the council's own forecast", "alignment")):
            if any(key in y for y in s["years"]):
                r = rows.get(label, [None])[0]
                if check(r is not None, "Financial summary: %s: no row %r" % (s["name"], label)):
                    for y in s["years"]:
                        want_num(fin, r, cols[y["fy"]], y.get(key, 0.0), "%s %s %s" % (s["name"], y["fy"], key))
        r = rows.get("Balance brought forward", [None])[0]
        if check(r is not None, "Financial summary: %s: no brought-forward row" % s["name"]):
            y0 = s["years"][0]
            want_num(fin, r, cols[y0["fy"]], y0["cumulative"] - y0["in_year"] - y0.get("writeoff", 0.0),
                     "brought forward")
            for prev, y in zip(s["years"], s["years"][1:]):
                want_num(fin, r, cols[y["fy"]], prev["cumulative"], "%s brought forward" % y["fy"], formula=True)
    for cell in money_cells:
        if cell is not None:
            check(",," in xf_fmt[cell.style], "Financial summary!%s: number format %r does not show £m"
                  % (cell.ref, xf_fmt[cell.style]))

    eh = books["EHCPs"]
    cols = year_columns(eh)
    for s in res["scenarios"]:
        rows = block(eh, lambda t, s=s: t == title(s))
        if not check(rows is not None, "EHCPs: no block %r" % title(s)):
            continue
        for p in s["placements"]:
            r = rows.get(p["label"], [None])[0]
            if check(r is not None, "EHCPs: no row %r" % p["label"]):
                for y in s["years"]:
                    want_num(eh, r, cols[y["fy"]], y["ehcps"]["by_placement"][p["id"]], "%s %s" % (y["fy"], p["id"]))
        for band in s["years"][0]["ehcps"]["by_age_band"]:
            r = rows.get("Aged " + band, [None])[0]
            if check(r is not None, "EHCPs: no row for age band %r" % band):
                for y in s["years"]:
                    want_num(eh, r, cols[y["fy"]], y["ehcps"]["by_age_band"][band], "%s %s" % (y["fy"], band))
        r = rows.get("Total EHCPs", [None])[0]
        if check(r is not None, "EHCPs: no total"):
            for y in s["years"]:
                want_num(eh, r, cols[y["fy"]], y["ehcps"]["total"], "%s total EHCPs" % y["fy"], formula="SUM(")
        for label, key in (("Joiners (new EHCPs)", "joiners"), ("Leavers (EHCPs ceased)", "leavers")):
            r = rows.get(label, [None])[0]
            if check(r is not None, "EHCPs: no row %r" % label):
                for y in s["years"]:
                    want_num(eh, r, cols[y["fy"]], y[key], "%s %s" % (y["fy"], key))

    uc = books["Unit costs"]
    cols = year_columns(uc)
    for s in res["scenarios"]:
        rows = block(uc, lambda t, s=s: t == title(s))
        if not check(rows is not None, "Unit costs: no block %r" % title(s)):
            continue
        for p in s["placements"]:
            r = rows.get(p["label"], [None])[0]
            if check(r is not None, "Unit costs: no row %r" % p["label"]):
                for y in s["years"]:
                    want_num(uc, r, cols[y["fy"]], y["unit_costs"][p["id"]], "%s %s" % (y["fy"], p["id"]))

    sv = books["Savings by action"]
    cols = year_columns(sv)
    ends = {sv.text(HEAD_ROW, c): c for c in range(0, 64) if sv.text(HEAD_ROW, c)}
    c_end, c_hor = ends.get("To the end of the override"), ends.get("To the end of the last year")
    check(c_end is not None and c_hor is not None, "Savings by action: no to-date columns")
    with_savings = [s for s in res["scenarios"] if "savings" in s]
    for s in res["scenarios"]:
        found = sv.rows_with(0, lambda t, s=s: t.startswith(title(s) + " against"))
        check(bool(found) == ("savings" in s), "Savings by action: block for %s %s" %
              (s["name"], "missing" if "savings" in s else "where it has no savings"))
    for s in with_savings:
        rows = block(sv, lambda t, s=s: t.startswith(title(s) + " against"))
        if rows is None:
            continue
        run_total = 0.0
        for a in s["savings"]["actions"]:
            rs = rows.get(a["name"], [])
            if not check(len(rs) == 2, "Savings by action: %r should have a yearly and a cumulative row" % a["name"]):
                continue
            run = 0.0
            for y in s["years"]:
                if y["fy"] in a["by_year"]:
                    want_num(sv, rs[0], cols[y["fy"]], a["by_year"][y["fy"]], "%s %s" % (a["name"], y["fy"]),
                             formula=False)
                    run += a["by_year"][y["fy"]]
                    want_num(sv, rs[1], cols[y["fy"]], run, "%s cumulative %s" % (a["name"], y["fy"]), formula=True)
            if c_end is not None:
                want_num(sv, rs[0], c_end, a["to_override_end"], "%s to override end" % a["name"])
                want_num(sv, rs[0], c_hor, a["to_horizon"], "%s to horizon" % a["name"])
        rs = rows.get("Total", [])
        if check(len(rs) == 2, "Savings by action: %s: total rows" % s["name"]):
            tot = s["savings"]["total"]
            for y in s["years"]:
                if y["fy"] in tot["by_year"]:
                    want_num(sv, rs[0], cols[y["fy"]], tot["by_year"][y["fy"]], "total %s" % y["fy"], formula="SUM(")
                    run_total += tot["by_year"][y["fy"]]
                    want_num(sv, rs[1], cols[y["fy"]], run_total, "cumulative total %s" % y["fy"], formula=True)
            if c_end is not None:
                want_num(sv, rs[0], c_end, tot["to_override_end"], "total to override end", formula="SUM(")
                want_num(sv, rs[0], c_hor, tot["to_horizon"], "total to horizon", formula="SUM(")

    mc = books["Monte Carlo"]
    cols = year_columns(mc)
    for s in res["scenarios"]:
        if "montecarlo" not in s:
            continue
        rows = block(mc, lambda t, s=s: t.startswith(title(s) + ":"))
        if not check(rows is not None, "Monte Carlo: no block for %s" % s["name"]):
            continue
        figures = ["cumulative", "in_year", "spend", "funding", "ehcps"]
        for k, stat in enumerate(STATS):
            label = ["Mean", "P5", "P10", "P25", "P50 (median)", "P75", "P90", "P95"][k]
            rs = rows.get(label, [])
            if not check(len(rs) == len(figures), "Monte Carlo: %s: %d rows %r" % (s["name"], len(rs), label)):
                continue
            for fig, r in zip(figures, rs):
                for y in s["montecarlo"]["years"]:
                    want_num(mc, r, cols[y["fy"]], y[fig][stat], "%s %s %s %s" % (s["name"], fig, stat, y["fy"]))

    sm = books["Summary"]
    scols = {}
    for c in range(1, 1 + len(res["scenarios"])):
        scols[sm.text(HEAD_ROW, c)] = c
    for s in res["scenarios"]:
        c = scols.get(s["label"])
        if not check(c is not None, "Summary: no column for %r" % s["label"]):
            continue
        rows = {}
        for (r, cc), cell in sm.cells.items():
            if cc == 0 and isinstance(cell.value, str):
                rows.setdefault(cell.value.strip(), []).append(r)
        check(sm.text(rows["Scenario name"][0], c) == s["name"], "Summary: scenario name of %s" % s["name"])
        hl = s["headline"]
        for label, v in (("Cumulative position at the end of the override", hl["cumulative_at_override_end"]),
                         ("Cumulative position at the end of the last year", hl["cumulative_at_horizon"]),
                         ("Peak deficit", hl["peak_deficit"]),
                         ("Interest cost of the deficit to the end of the override", hl["interest_to_override_end"]),
                         ("Interest cost of the deficit to the end of the last year", hl["interest_to_horizon"])):
            want_num(sm, rows[label][0], c, v, "%s %s" % (s["name"], label))
        for label, key in (("before write-offs", "cumulative_at_override_end_gross"),
                           ("Deficits written off to the end of the override", "writeoff_to_override_end"),
                           ("Deficit the council must meet at the end of the override",
                            "deficit_to_meet_at_override_end")):
            if key in hl:
                linked = key != "writeoff_to_override_end" or any("writeoff" in y for y in s["years"])
                want_num(sm, rows[label][0], c, hl[key], "%s %s" % (s["name"], key), formula=True if linked else None)
        r = rows["First year in balance (in-year surplus or nil)"][0]
        want = hl["first_balanced_fy"] or "none by " + s["last_fy"]
        check(sm.text(r, c) == want,
              "Summary: %s first balanced year %r, expected %r" % (s["name"], sm.text(r, c), want))
        r = rows["Year of the peak deficit"][0]
        check(sm.text(r, c) == (hl["peak_deficit_fy"] or "never in deficit"), "Summary: peak year of %s" % s["name"])
        if "savings" in s:
            want_num(sm, rows["Saving to the end of the override"][0], c, s["savings"]["total"]["to_override_end"],
                     "%s saving to override end" % s["name"])
        if "montecarlo" in s:
            mh = s["montecarlo"]["headline"]
            for stat, lab in (("p5", "P5"), ("p50", "P50 (median)"), ("p95", "P95")):
                want_num(sm, rows["Cumulative position at the end of the override: " + lab][0], c,
                         mh["cumulative_at_override_end"][stat], "%s MC %s" % (s["name"], stat))
                want_num(sm, rows["Peak deficit: " + lab][0], c, mh["peak_deficit"][stat],
                         "%s MC peak %s" % (s["name"], stat))

    check_assumptions(books, res)

    s251 = books["s251"]
    cols = year_columns(s251)
    for s in res["scenarios"]:
        rows = block(s251, lambda t, s=s: t == title(s))
        if not check(rows is not None, "s251: no block %r" % title(s)):
            continue
        codes = []
        for line in s["spend_lines"]:
            code = line["s251"] or "unmapped"
            if code not in codes:
                codes.append(code)
        for code in codes:
            r = rows.get(code, [None])[0]
            if not check(r is not None, "s251: %s: no row %r" % (s["name"], code)):
                continue
            for y in s["years"]:
                total = 0.0
                for line in s["spend_lines"]:
                    if (line["s251"] or "unmapped") == code:
                        total += y["spend"]["by_line"][line["id"]]
                want_num(s251, r, cols[y["fy"]], total, "%s %s %s" % (s["name"], code, y["fy"]),
                         formula=True)
                f = s251.get(r, cols[y["fy"]]).formula or ""
                check("'Financial summary'!" in f, "s251!%s: formula %r does not name the Financial summary"
                      % (s251.get(r, cols[y["fy"]]).ref, f))
        r = rows.get("Total spend", [None])[0]
        if check(r is not None, "s251: no total"):
            for y in s["years"]:
                want_num(s251, r, cols[y["fy"]], y["spend"]["total"], "s251 total %s" % y["fy"], formula="SUM(")


def template_years(res, fys):
    """The template's columns: outturn years and starting-census years before the first projected year."""
    first = fys[0] if fys else ""
    act = set()
    for s in res["scenarios"]:
        for a in s.get("actuals", {}).get("finance", []):
            if a["status"] == "outturn" and a["fy"] < first:
                act.add(a["fy"])
        if "start" in s:
            y = int(s["start"]["census"]) - 1
            fy = "%04d-%02d" % (y, (y + 1) % 100)
            if fy < first:
                act.add(fy)
    return sorted(act) + fys


def short_path(path):
    m = re.match(r"scenarios\.[^.]+\.(.*)", path)
    return m.group(1) if m else path


def inherited(res, s, a):
    """The parent holds the same assumption (as the workbook decides)."""
    parent = next((p for p in res["scenarios"] if p is not s and p["name"] == s.get("extends")), None)
    if parent is None:
        return False
    for b in parent.get("assumptions", []):
        if short_path(b["path"]) == short_path(a["path"]):
            return all(a[k] == b[k] for k in ("value", "unit", "source", "distribution"))
    return False


def check_assumptions(books, res):
    """One assumption per row (a child scenario: what differs from its parent,
    and a note counting the rest); lists on Assumptions by age, ten a row."""
    asm, age = books["Assumptions"], books["Assumptions by age"]
    for s in res["scenarios"]:
        mine = [a for a in s.get("assumptions", []) if not inherited(res, s, a)]
        same = len(s.get("assumptions", [])) - len(mine)
        rows = block(asm, lambda t, s=s: t == title(s))
        if not mine and not same:
            continue
        if not check(rows is not None, "Assumptions: no block %r" % title(s)):
            continue
        got = sorted(r for lab, rs in rows.items() for r in rs if not lab.endswith("(not repeated here)."))
        check(len(got) == len(mine), "Assumptions: %s: %d rows, expected %d" % (s["name"], len(got), len(mine)))
        for r, a in zip(got, mine):
            check(asm.text(r, 0) == short_path(a["path"]), "Assumptions row %d: %r, expected %r"
                  % (r, asm.text(r, 0), short_path(a["path"])))
            check(asm.text(r, 2) == (a["unit"] or None) and asm.text(r, 3) == (a["source"] or None),
                  "Assumptions row %d: unit or source" % r)
            check(asm.text(r, 4) == (a["distribution"] or None), "Assumptions row %d: distribution" % r)
            if isinstance(a["value"], list):
                check(asm.text(r, 1) == "%d values" % len(a["value"]), "Assumptions row %d: list note" % r)
            else:
                want_num(asm, r, 1, a["value"], "assumption %s" % a["path"])
        if same:
            check(any(lab == "%d more assumption%s as in %s (not repeated here)." % (same, "" if same == 1 else "s",
                                                                                      s["extends"]) for lab in rows),
                  "Assumptions: %s: no note of the %d inherited assumptions" % (s["name"], same))
        lists = [a for a in mine if isinstance(a["value"], list)]
        arows = block(age, lambda t, s=s: t == title(s))
        if not lists:
            continue
        if not check(arows is not None, "Assumptions by age: no block %r" % title(s)):
            continue
        for a in lists:
            r = arows.get(short_path(a["path"]), [None])[0]
            if not check(r is not None, "Assumptions by age: no row %r" % a["path"]):
                continue
            for k, v in enumerate(a["value"]):
                want_num(age, r + k // 10, 2 + k % 10, v, "assumption %s[%d]" % (a["path"], k))


# ---- CSV ------------------------------------------------------------------

def expected_csv(res):
    """Every CSV file's rows, built from the JSON (numbers as floats, None = empty)."""
    out = {}
    scen = res["scenarios"]
    out["scenarios.csv"] = (["scenario", "label", "extends", "override_end", "first_fy", "last_fy"],
                            [[s["name"], s["label"], s.get("extends") or "", s["override_end"], s["first_fy"],
                              s["last_fy"]] for s in scen])
    rows = []
    for s in scen:
        for lst in ("placements", "spend_lines", "funding_lines"):
            for l in s[lst]:
                rows.append([s["name"], lst, l["id"], l["label"], l.get("kind", ""), l.get("s251", "")])
    out["lines.csv"] = (["scenario", "list", "id", "label", "kind", "s251"], rows)
    rows = []
    for s in scen:
        h = s["headline"]
        rows += [[s["name"], "cumulative_at_override_end", "", h["cumulative_at_override_end"]],
                 [s["name"], "first_balanced_fy", h["first_balanced_fy"] or "", None],
                 [s["name"], "peak_deficit", h["peak_deficit_fy"] or "", h["peak_deficit"]],
                 [s["name"], "interest_to_override_end", "", h["interest_to_override_end"]],
                 [s["name"], "interest_to_horizon", "", h["interest_to_horizon"]],
                 [s["name"], "cumulative_at_horizon", "", h["cumulative_at_horizon"]]]
        for key in ("cumulative_at_override_end_gross", "deficit_to_meet_at_override_end", "writeoff_to_override_end"):
            if key in h:
                rows.append([s["name"], key, "", h[key]])
    out["headline.csv"] = (["scenario", "figure", "fy", "value"], rows)
    head = ["scenario", "fy", "census", "figure", "line", "value"]
    fin, eh, uc, s251 = [], [], [], []
    for s in scen:
        for y in s["years"]:
            k = [s["name"], y["fy"], float(y["census"])]
            for l in s["funding_lines"]:
                fin.append(k + ["funding.by_line", l["id"], y["funding"]["by_line"][l["id"]]])
            fin.append(k + ["funding.total", "", y["funding"]["total"]])
            for l in s["spend_lines"]:
                fin.append(k + ["spend.by_line", l["id"], y["spend"]["by_line"][l["id"]]])
            fin.append(k + ["spend.total", "", y["spend"]["total"]])
            for key in ("in_year", "cumulative", "interest"):
                fin.append(k + [key, "", y[key]])
            for key in ("regime_funding", "alignment", "writeoff", "cumulative_gross"):
                if key in y:
                    fin.append(k + [key, "", y[key]])
            eh.append(k + ["ehcps.total", "", y["ehcps"]["total"]])
            for p in s["placements"]:
                eh.append(k + ["ehcps.by_placement", p["id"], y["ehcps"]["by_placement"][p["id"]]])
            for band, v in y["ehcps"]["by_age_band"].items():
                eh.append(k + ["ehcps.by_age_band", band, v])
            for key in ("joiners", "leavers", "overflow"):
                eh.append(k + [key, "", y[key]])
            if "isps" in y:
                eh.append(k + ["isps", "", y["isps"]])
            for p in s["placements"]:
                uc.append(k + ["unit_costs", p["id"], y["unit_costs"][p["id"]]])
        codes = []
        for l in s["spend_lines"]:
            if l["s251"] not in codes:
                codes.append(l["s251"])
        codes.sort(key=lambda c: (c == "", [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", c)]))
        for y in s["years"]:
            for code in codes:
                total = 0.0  # a plain loop in spend_lines order, as the writer sums
                for l in s["spend_lines"]:
                    if l["s251"] == code:
                        total += y["spend"]["by_line"][l["id"]]
                s251.append([s["name"], y["fy"], float(y["census"]), "spend.by_s251", code or "unmapped", total])
    out["finance.csv"], out["ehcps.csv"], out["unit_costs.csv"], out["s251.csv"] = (
        (head, fin), (head, eh), (head, uc), (head, s251))
    rows = []
    for s in scen:
        if "savings" not in s:
            continue
        sv = s["savings"]
        parts = [("", "", "total", sv["total"])] + [(a["name"], a["type"], "actions", a) for a in sv["actions"]]
        for action, typ, prefix, part in parts:
            k = [s["name"], sv["against"], sv["method"], action, typ]
            fys = [y["fy"] for y in s["years"] if y["fy"] in part["by_year"]]
            for fy in fys:
                rows.append(k + [fy, prefix + ".by_year", part["by_year"][fy]])
            run = 0.0
            for fy in fys:
                run += part["by_year"][fy]
                rows.append(k + [fy, prefix + ".cumulative", run])
            rows.append(k + ["", prefix + ".to_override_end", part["to_override_end"]])
            rows.append(k + ["", prefix + ".to_horizon", part["to_horizon"]])
    out["savings.csv"] = (["scenario", "against", "method", "action", "type", "fy", "figure", "value"], rows)
    rows = []
    for s in scen:
        if "montecarlo" not in s:
            continue
        mc, n = s["montecarlo"], s["name"]
        rows += [[n, "", "paths", "", "", mc["paths"]], [n, "", "seed", "", "", mc["seed"]]]
        for y in mc["years"]:
            for fig, v in y.items():
                if fig == "fy":
                    continue
                if "p50" in v:
                    rows += [[n, y["fy"], fig, "", st, x] for st, x in v.items()]
                else:
                    for line, stats in v.items():
                        rows += [[n, y["fy"], fig, line, st, x] for st, x in stats.items()]
        for fig, v in mc["headline"].items():
            rows += [[n, "", "headline." + fig, "", st, x] for st, x in v.items()]
        for fig, v in mc.get("probabilities", {}).items():
            if isinstance(v, dict):
                rows += [[n, v.get("fy", ""), "probabilities." + fig, "", st, x] for st, x in v.items()
                         if not isinstance(x, str)]
            else:
                rows.append([n, "", "probabilities." + fig, "", "p", v])
    out["montecarlo.csv"] = (["scenario", "fy", "figure", "line", "stat", "value"], rows)
    rows = []
    for s in scen:
        for a in s.get("assumptions", []):
            tail = [a["unit"], a["source"], a["distribution"]]
            if isinstance(a["value"], list):
                rows += [[s["name"], a["path"], float(i), v] + tail for i, v in enumerate(a["value"])]
            else:
                rows.append([s["name"], a["path"], None, a["value"]] + tail)
    out["assumptions.csv"] = (["scenario", "path", "index", "value", "unit", "source", "distribution"], rows)
    rows = []
    for s in scen:
        act = s.get("actuals", {})
        for e in act.get("census", []):
            rows.append([s["name"], "census", float(e["census"]), "ehcps", e["ehcps"], "", e["source"]])
        for e in act.get("finance", []):
            for fig in ("in_year", "cumulative"):
                rows.append([s["name"], "finance", e["fy"], fig, e[fig], e["status"], e["source"]])
    out["actuals.csv"] = (["scenario", "list", "period", "figure", "value", "status", "source"], rows)
    return out


def csv_text(e):
    """A text field as written: a leading = + - @ tab CR or ' gets a ' in front (never a formula)."""
    return "'" + e if e and e[0] in "=+-@\t\r'" else e


def check_csv(csvdir, res, bom=False):
    for name, (header, want) in expected_csv(res).items():
        path = os.path.join(csvdir, name)
        if not check(os.path.exists(path), "%s: missing" % name):
            continue
        raw = open(path, "rb").read()
        if bom:
            check(raw.startswith(b"\xef\xbb\xbf"), "%s: no UTF-8 byte-order mark (the Excel variant)" % name)
            raw = raw[3:]
            plain = os.path.join(os.path.dirname(csvdir.rstrip("/")), "csv", name)
            if os.path.exists(plain):
                check(open(plain, "rb").read() == raw, "%s: not the tidy file's bytes after the mark" % name)
        else:
            check(not raw.startswith(b"\xef\xbb\xbf"), "%s: starts with a byte-order mark" % name)
        text = raw.decode("utf-8")
        outside = re.sub(r'"(?:[^"]|"")*"', "", text)  # line breaks inside quoted fields are data
        check(text.endswith("\r\n") and outside.count("\n") == outside.count("\r\n"),
              "%s: records must end CRLF" % name)
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        check(rows and rows[0] == header, "%s: header %r, expected %r" % (name, rows[0] if rows else None, header))
        body = rows[1:]
        check(len(body) == len(want), "%s: %d rows, expected %d" % (name, len(body), len(want)))
        for i, (got, exp) in enumerate(zip(body, want)):
            where = "%s row %d" % (name, i + 2)
            if not check(len(got) == len(header), "%s: %d fields, expected %d" % (where, len(got), len(header))):
                continue
            for g, e, col in zip(got, exp, header):
                if e is None:
                    check(g == "", "%s %s: %r, expected empty" % (where, col, g))
                elif isinstance(e, (int, float)) and not isinstance(e, bool):
                    ok = g != "" and float(g) == float(e) and "," not in g
                    check(ok, "%s %s: %r, expected exactly %r" % (where, col, g, e))
                else:
                    check(g == csv_text(e), "%s %s: %r, expected %r" % (where, col, g, csv_text(e)))


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        res = json.load(f)
    check_workbook(argv[1], res)
    if len(argv) == 4:
        check_csv(argv[3], res)
        xl = os.path.join(os.path.dirname(argv[3].rstrip("/")), "csv-excel")
        if os.path.isdir(xl):
            check_csv(xl, res, bom=True)
    for f in failures[:200]:
        print("check_workbook: " + f, file=sys.stderr)
    if len(failures) > 200:
        print("check_workbook: ... and %d more" % (len(failures) - 200), file=sys.stderr)
    print("check_workbook: %d passed, %d failed" % (passed, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
