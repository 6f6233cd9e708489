#!/usr/bin/env python3
"""check_template.py: the workbook's DSG management plan template tables, read
back with a real spreadsheet reader (openpyxl) and recalculated by a real
spreadsheet engine (LibreOffice).

Usage: check_template.py MODE HNBSIM RESULTS.json WORKDIR
  MODE tables: export RESULTS.json with HNBSIM and check, with openpyxl,
      - Children and young people: every placement category x age group x
        year (the starting census, then every projected year) of every
        scenario against the results JSON (the sum of by_placement_age_band
        over the category's placements, category as docs/spreadsheets.md
        maps it), category totals, all-placements rows;
      - the native charts: a line chart of the cumulative position with a
        series per scenario, and a stacked column chart of EHCPs by category
        per scenario, their series pointing at the cells they draw;
      - the Summary's position cells are formulas over the other sheets.
  MODE recalc: with LibreOffice headless (soffice), which recalculates on load
      (a private profile with OOXMLRecalcMode = always):
      - the workbook as written, recalculated: every formula cell gives the
        figure hnbsim cached (the model's), to 1e-9 relative;
      - the workbook with one unit cost (+GBP 1,000 in the first year) and one
        allocation (+GBP 1m in the first year) changed on the Cost model:
        the spend line, total spend, in-year and cumulative positions and the
        Summary's headline move by exactly what counts x unit costs say;
      - the workbook converts to PDF (pages, the title on page 1).
    Exits 77 (ctest: skipped) with a message when soffice is not installed.
Every failure is printed; the exit status is 1 if there was any.
"""
import json
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile

failures = []
passed = 0

CATS = ["Mainstream schools or academies", "Resourced provision or SEN units",
        "Maintained special schools or special academies", "Non-maintained special or independent",
        "Hospital schools or alternative provision", "Post-16 and further education",
        "Other placements or direct payments"]
CAT_KEYS = ["mainstream", "resourced", "special", "nmi", "hospital_ap", "post16", "other"]
AGES = ["0-4", "5-10", "11-15", "16-19", "20-25"]
AGE_LABELS = ["Under 5", "Aged 5 to 10", "Aged 11 to 15", "Aged 16 to 19", "Aged 20 to 25"]
HEAD_ROW = 5


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
    return cond


def close(got, want, rel=1e-15, abs_=1e-9):
    return isinstance(got, (int, float)) and math.isclose(float(got), float(want), rel_tol=rel, abs_tol=abs_)


# The default mapping, written out independently of the C (report/category.c).
RULES = [("early", 6), ("hospital", 4), ("ap", 4), ("pru", 4), ("alternative", 4), ("nmi", 3), ("nmss", 3),
         ("independent", 3), ("nonmaintained", 3), ("base", 1), ("bases", 1), ("srp", 1), ("arp", 1),
         ("resourced", 1), ("unit", 1), ("units", 1), ("fe", 5), ("post16", 5), ("further", 5), ("college", 5),
         ("special", 2), ("mainstream", 0)]


def words(text):
    t = text.lower()
    return set(re.split(r"[^a-z0-9]+", t)) | set(re.split(r"[^a-z0-9]+", re.sub(r"[^a-z0-9 _]", "", t)))


def category(pl):
    if pl.get("category") in CAT_KEYS:
        return CAT_KEYS.index(pl["category"])
    for text in (pl["id"], pl["label"]):
        w = words(text)
        for word, cat in RULES:
            if word in w:
                return cat
    return 6


def title(s):
    return "%s (%s)" % (s["label"], s["name"])


def fy_of_census(census):
    y = int(census) - 1
    return "%04d-%02d" % (y, (y + 1) % 100)


def year_cols(ws, row=HEAD_ROW):
    cols = {}
    for cell in ws[row]:
        if isinstance(cell.value, str) and re.fullmatch(r"\d{4}-\d{2}", cell.value):
            cols[cell.value] = cell.column
    return cols


def blocks(ws, res):
    """Scenario name -> {label: [rows]} for each scenario block in column A."""
    titles = {title(s): s["name"] for s in res["scenarios"]}
    starts = [(c.row, titles[c.value]) for c in ws["A"] if c.value in titles]
    out = {}
    for i, (r, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else ws.max_row + 1
        rows = {}
        for rr in range(r + 1, end):
            v = ws.cell(rr, 1).value
            if isinstance(v, str):
                rows.setdefault(v, []).append(rr)
        out[name] = rows
    return out


def export(hnbsim, results, outdir):
    if os.path.exists(outdir):
        shutil.rmtree(outdir)
    subprocess.run([hnbsim, "export", results, "--out", outdir], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(outdir, "hnbsim.xlsx")


# ---- tables ------------------------------------------------------------------

def check_tables(path, res):
    import openpyxl
    wb = openpyxl.load_workbook(path)               # formulas
    wv = openpyxl.load_workbook(path, data_only=True)  # cached values
    ws, wsv = wb["Children and young people"], wv["Children and young people"]
    cols = year_cols(ws)
    bl = blocks(ws, res)
    for s in res["scenarios"]:
        rows = bl.get(s["name"])
        if not check(rows is not None, "Children and young people: no block %r" % title(s)):
            continue
        columns = []
        if "start" in s:
            columns.append((fy_of_census(s["start"]["census"]), s["start"]["ehcps"]))
        columns += [(y["fy"], y["ehcps"]) for y in s["years"]]
        cats = [category(p) for p in s["placements"]]
        for k, cat in enumerate(CATS):
            r0 = rows.get(cat, [None])[0]
            if not check(r0 is not None, "%s: no section %r" % (s["name"], cat)):
                continue
            for g, age in enumerate(AGES):
                r = r0 + 1 + g
                check(ws.cell(r, 1).value == AGE_LABELS[g], "%s %s: row %d is %r, expected %r"
                      % (s["name"], cat, r, ws.cell(r, 1).value, AGE_LABELS[g]))
                for fy, e in columns:
                    want = 0.0
                    for p, c in zip(s["placements"], cats):
                        if c == k:
                            want += e["by_placement_age_band"][p["id"]][age]
                    got = wsv.cell(r, cols[fy]).value
                    check(close(got, want), "%s %s %s %s: %r, expected %r" % (s["name"], cat, age, fy, got, want))
            rt = r0 + 1 + len(AGES)
            check(ws.cell(rt, 1).value == "Total", "%s %s: no total row" % (s["name"], cat))
            for fy, e in columns:
                f = ws.cell(rt, cols[fy]).value
                check(isinstance(f, str) and f.startswith("=SUM("), "%s %s total %s: %r is not a SUM" %
                      (s["name"], cat, fy, f))
        ra = rows.get("All placements", [None])[0]
        rtot = rows.get("Total EHCPs", [None])[0]
        if check(ra is not None and rtot is not None, "%s: no all-placements rows" % s["name"]):
            for fy, e in columns:
                for g, age in enumerate(AGES):
                    want = e["by_age_band"][age]
                    got = wsv.cell(ra + 1 + g, cols[fy]).value
                    check(close(got, want, rel=1e-12), "%s all %s %s: %r, expected %r" % (s["name"], age, fy, got,
                                                                                        want))
                check(close(wsv.cell(rtot, cols[fy]).value, e["total"], rel=1e-12),
                      "%s total EHCPs %s: %r, expected %r" % (s["name"], fy, wsv.cell(rtot, cols[fy]).value,
                                                              e["total"]))
        # Every placement is counted in exactly one category.
        check(len(cats) == len(s["placements"]), "%s: categories" % s["name"])

    # The charts: one line chart of the position, one stacked column chart per scenario.
    ch = wb["Charts"]._charts
    kinds = [type(c).__name__ for c in ch]
    check(len(ch) == 1 + len(res["scenarios"]), "Charts: %d charts, expected %d" % (len(ch), 1 + len(res["scenarios"])))
    check(kinds and kinds[0] == "LineChart", "Charts: first chart is %r, expected a line chart" % kinds[:1])
    if ch:
        refs = [str(s.val.numRef.f) for s in ch[0].series]
        check(len(refs) == len(res["scenarios"]), "position chart: %d series" % len(refs))
        check(all(r.startswith("'Financial summary'!") for r in refs), "position chart reads %r" % refs)
    for c in ch[1:]:
        check(type(c).__name__ == "BarChart" and c.grouping == "stacked" and c.type == "col",
              "EHCP chart is %s %s %s, expected a stacked column chart" %
              (type(c).__name__, getattr(c, "grouping", ""), getattr(c, "type", "")))
        check(len(c.series) == len(CATS), "EHCP chart: %d series, expected %d" % (len(c.series), len(CATS)))
        check(all(str(s.val.numRef.f).startswith("'Children and young people'!") for s in c.series),
              "EHCP chart reads another sheet")
    z = zipfile.ZipFile(path)
    n = len([x for x in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", x)])
    check(n == 1 + len(res["scenarios"]), "xl/charts: %d chart parts" % n)

    # The Summary's position rows are formulas over the sheets they summarise.
    sm = wb["Summary"]
    for r in range(1, sm.max_row + 1):
        lab = sm.cell(r, 1).value
        if lab in ("Cumulative position at the end of the override", "Cumulative position at the end of the last year",
                   "Peak deficit", "Interest cost of the deficit to the end of the last year"):
            for c in range(2, 2 + len(res["scenarios"])):
                f = sm.cell(r, c).value
                check(isinstance(f, str) and "'Financial summary'!" in f,
                      "Summary %s col %d: %r is not a formula over the Financial summary" % (lab, c, f))


# ---- recalculation -------------------------------------------------------------

PROFILE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice(work, fmt, files, outdir):
    profile = os.path.join(work, "lo-profile")
    os.makedirs(os.path.join(profile, "user"), exist_ok=True)
    with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w") as f:
        f.write(PROFILE_XCU)
    os.makedirs(outdir, exist_ok=True)
    p = subprocess.run(["soffice", "-env:UserInstallation=file://" + os.path.abspath(profile), "--headless",
                        "--norestore", "--convert-to", fmt, "--outdir", outdir] + files,
                       capture_output=True, text=True, timeout=900)
    return p


def find_rows(ws, res, label):
    return {name: rows.get(label, [None])[0] for name, rows in blocks(ws, res).items()}


def check_recalc(work, path, res):
    import openpyxl
    orig_f = openpyxl.load_workbook(path)
    orig_v = openpyxl.load_workbook(path, data_only=True)
    s0 = res["scenarios"][0]
    # The edit: the first placement's first-year unit cost + 1,000; the first funding line's first year + 1m.
    cm = orig_f["Cost model"]
    cols = year_cols(cm)
    fy0, fys = s0["years"][0]["fy"], [y["fy"] for y in s0["years"]]
    rows = blocks(cm, res)[s0["name"]]
    pl, fl = s0["placements"][0], s0["funding_lines"][0]
    r_uc = rows["Unit cost: " + pl["label"]][0]  # the assumption (the first of the two rows so named)
    r_fa = rows[fl["label"]][0]
    uc0 = cm.cell(r_uc, cols[fy0]).value
    fa0 = cm.cell(r_fa, cols[fy0]).value
    check(isinstance(uc0, float) and isinstance(fa0, float), "Cost model: the assumption cells are numbers")
    edited = os.path.join(work, "edited.xlsx")
    cm.cell(r_uc, cols[fy0]).value = uc0 + 1000.0
    cm.cell(r_fa, cols[fy0]).value = fa0 + 1e6
    orig_f.save(edited)
    base = os.path.join(work, "base.xlsx")
    shutil.copy(path, base)
    out = os.path.join(work, "recalc")
    p = soffice(work, "xlsx", [base, edited], out)
    check(p.returncode == 0, "soffice --convert-to xlsx: exit %d: %s" % (p.returncode, p.stderr.strip()))
    got_b = openpyxl.load_workbook(os.path.join(out, "base.xlsx"), data_only=True)
    got_e = openpyxl.load_workbook(os.path.join(out, "edited.xlsx"), data_only=True)

    # 1. Recalculated as written, every formula gives the model's figure.
    nform = 0
    for ws in orig_f.worksheets:
        if ws.title not in got_b.sheetnames:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                want = orig_v[ws.title].cell(cell.row, cell.column).value
                got = got_b[ws.title].cell(cell.row, cell.column).value
                if ws.title == "Cost model" and cell.row == r_uc:
                    pass
                nform += 1
                if isinstance(want, str):
                    check(got == want, "recalculated %s!%s: %r, cached %r" % (ws.title, cell.coordinate, got, want))
                else:
                    check(close(got, want, rel=1e-9, abs_=1e-6), "recalculated %s!%s %s: %r, cached %r"
                          % (ws.title, cell.coordinate, cell.value, got, want))
    check(nform > 1000, "only %d formulas recalculated" % nform)

    # 2. The edit moves the position by counts x unit costs.
    fin = got_e["Financial summary"]
    fcols = year_cols(fin)
    frows = blocks(orig_f["Financial summary"], res)[s0["name"]]
    r_line = frows[pl["label"]][0]
    r_ts = frows["Total spend"][0]
    r_cum = frows["Cumulative position carried forward"][0]
    r_iy = frows["In-year position (funding less spend)"][0]
    dcum = 0.0
    for i, y in enumerate(s0["years"]):
        dspend = y["spend"]["by_line"][pl["id"]] * 1000.0 / uc0
        dfund = 1e6 if i == 0 else 0.0
        dcum += dfund - dspend
        c = fcols[y["fy"]]
        check(close(fin.cell(r_line, c).value, y["spend"]["by_line"][pl["id"]] + dspend, rel=1e-9),
              "edited %s spend %s: %r, expected %r" % (pl["id"], y["fy"], fin.cell(r_line, c).value,
                                                     y["spend"]["by_line"][pl["id"]] + dspend))
        check(close(fin.cell(r_ts, c).value, y["spend"]["total"] + dspend, rel=1e-9),
              "edited total spend %s" % y["fy"])
        check(close(fin.cell(r_iy, c).value, y["in_year"] + dfund - dspend, rel=1e-9, abs_=1e-3),
              "edited in-year %s: %r, expected %r" % (y["fy"], fin.cell(r_iy, c).value, y["in_year"] + dfund - dspend))
        check(close(fin.cell(r_cum, c).value, y["cumulative"] + dcum, rel=1e-9, abs_=1e-3),
              "edited cumulative %s: %r, expected %r" % (y["fy"], fin.cell(r_cum, c).value, y["cumulative"] + dcum))
    check(abs(dcum) > 1e5, "the edit should move the position (moved %r)" % dcum)
    sm = got_e["Summary"]
    for r in range(1, sm.max_row + 1):
        if sm.cell(r, 1).value == "Cumulative position at the end of the last year":
            want = s0["headline"]["cumulative_at_horizon"] + dcum
            check(close(sm.cell(r, 2).value, want, rel=1e-9, abs_=1e-3),
                  "edited Summary cumulative at horizon: %r, expected %r" % (sm.cell(r, 2).value, want))
    print("check_template: recalculated %d formulas; the edit moved %s's position at %s by GBP %.2f" %
          (nform, s0["name"], fys[-1], dcum))

    # 3. PDF.
    p = soffice(work, "pdf", [path], os.path.join(work, "pdf"))
    pdf = os.path.join(work, "pdf", "hnbsim.pdf")
    check(p.returncode == 0 and os.path.exists(pdf), "soffice --convert-to pdf failed: %s" % p.stderr.strip())
    if os.path.exists(pdf):
        with open(pdf, "rb") as f:
            data = f.read()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        check(pages > 5, "PDF has %d pages" % pages)
        print("check_template: PDF of %d pages" % pages)


NEEDS = [("SEMH", "SEMH", 0.3), ("asd", "Autism", 0.45), ("other_needs", "Other needs (pooled)", 0.15),
         ("SLCN", "Speech and language", 0.1)]
NEED_ROWS = ["Autistic spectrum disorder", "Social, emotional and mental health",
             "Speech, language and communication needs", "Other needs (pooled)"]


def with_needs(res):
    """The results with need groups, as a model with needs writes them (by_need in
    start.ehcps and each year's ehcps, adding up to the total)."""
    out = json.loads(json.dumps(res))
    for s in out["scenarios"]:
        s["need_groups"] = [{"id": i, "label": l} for i, l, _ in NEEDS]
        for e in [s["start"]["ehcps"]] + [y["ehcps"] for y in s["years"]]:
            e["by_need"] = {i: e["total"] * w for i, _, w in NEEDS}
    return out


def check_needs(path, res):
    """Children and young people: EHCPs by primary need, the DfE codes first in DfE's
    order with DfE's names, then the scenario's own groups; a SUM total."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wv = openpyxl.load_workbook(path, data_only=True)
    ws, wsv = wb["Children and young people"], wv["Children and young people"]
    cols = year_cols(ws)
    bl = blocks(ws, res)
    for s in res["scenarios"]:
        rows = bl.get(s["name"], {})
        r0 = rows.get("By primary need", [None])[0]
        if not check(r0 is not None, "%s: no 'By primary need' section" % s["name"]):
            continue
        got = [ws.cell(r0 + 1 + k, 1).value for k in range(len(NEED_ROWS) + 1)]
        check(got == NEED_ROWS + ["Total EHCPs by primary need"], "%s: need rows %r" % (s["name"], got))
        ids = {"Autistic spectrum disorder": "asd", "Social, emotional and mental health": "SEMH",
               "Speech, language and communication needs": "SLCN", "Other needs (pooled)": "other_needs"}
        cols_e = [(fy_of_census(s["start"]["census"]), s["start"]["ehcps"])] + [(y["fy"], y["ehcps"]) for y in s["years"]]
        for k, lab in enumerate(NEED_ROWS):
            for fy, e in cols_e:
                v = wsv.cell(r0 + 1 + k, cols[fy]).value
                check(close(v, e["by_need"][ids[lab]], rel=1e-15), "%s %s %s: %r, expected %r" %
                      (s["name"], lab, fy, v, e["by_need"][ids[lab]]))
        rt = r0 + 1 + len(NEED_ROWS)
        for fy, e in cols_e:
            f = ws.cell(rt, cols[fy]).value
            check(isinstance(f, str) and f.startswith("=SUM("), "%s need total %s: %r" % (s["name"], fy, f))
            check(close(wsv.cell(rt, cols[fy]).value, e["total"], rel=1e-12), "%s need total %s" % (s["name"], fy))


def check_blocks(path, res):
    """Financial summary: a funding line with a "block" (another DSG block) sits under
    "Other DSG blocks" with its block in column B; the total is the DSG total."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wv = openpyxl.load_workbook(path, data_only=True)
    ws, wsv = wb["Financial summary"], wv["Financial summary"]
    cols = year_cols(ws)
    bl = blocks(ws, res)
    names = {"schools": "Schools block", "central_school_services": "Central school services block",
             "early_years": "Early years block"}
    for s in res["scenarios"]:
        rows = bl.get(s["name"], {})
        head = rows.get("Other DSG blocks", [None])[0]
        tot = rows.get("Total funding (DSG total)", [None])[0]
        if not check(head is not None and tot is not None, "%s: no 'Other DSG blocks' rows" % s["name"]):
            continue
        for line in s["funding_lines"]:
            r = rows.get(line["label"], [None])[0]
            if not check(r is not None, "%s: no funding row %r" % (s["name"], line["label"])):
                continue
            b = line.get("block")
            check((r > head) == bool(b), "%s %s: on the wrong side of 'Other DSG blocks'" % (s["name"], line["id"]))
            check(ws.cell(r, 2).value == (names[b] if b else "High needs block"),
                  "%s %s: column B %r" % (s["name"], line["id"], ws.cell(r, 2).value))
            for y in s["years"]:
                check(close(wsv.cell(r, cols[y["fy"]]).value, y["funding"]["by_line"][line["id"]]),
                      "%s %s %s" % (s["name"], line["id"], y["fy"]))
        for y in s["years"]:
            f = ws.cell(tot, cols[y["fy"]]).value
            check(isinstance(f, str) and f.startswith("=SUM("), "%s DSG total %s: %r" % (s["name"], y["fy"], f))
            check(close(wsv.cell(tot, cols[y["fy"]]).value, y["funding"]["total"], rel=1e-12),
                  "%s DSG total %s" % (s["name"], y["fy"]))


def check_block_key(hnbsim, work):
    """The scenario key: a funding line's block reaches the results; a bad block or a
    block on a spend line is refused with the path."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "example.json")
    with open(src) as f:
        doc = json.load(f)
    cases = [("early_years", None), ("academies", 'block: is "academies" (expected high_needs, schools, '
                                                  'central_school_services or early_years)'),
             ("spend", "block: a spend line has a block (expected block only on a funding line)")]
    for value, err in cases:
        d = json.loads(json.dumps(doc))
        b = next(iter(d["scenarios"].values()))
        if value == "spend":
            next(iter(b["spend"].values()))["block"] = "schools"
        else:
            b["funding"]["import_export"]["block"] = value
        path = os.path.join(work, "block-%s.json" % value)
        with open(path, "w") as f:
            json.dump(d, f)
        out = os.path.join(work, "block-%s" % value)
        p = subprocess.run([hnbsim, "run", path, "--out", out, "--no-charts", "--no-spreadsheets", "--quiet",
                            "--force"], capture_output=True, text=True)
        if err is None:
            if check(p.returncode == 0, "block %s: exit %d: %s" % (value, p.returncode, p.stderr)):
                with open(os.path.join(out, "results.json")) as f:
                    r = json.load(f)
                fl = {l["id"]: l for l in r["scenarios"][0]["funding_lines"]}
                check(fl["import_export"].get("block") == "early_years" and "block" not in fl["hnb_allocation"],
                      "block: results funding_lines %r" % list(fl.values()))
        else:
            check(p.returncode == 1 and err in p.stderr, "block %s: exit %d, %r (expected %r)" %
                  (value, p.returncode, p.stderr.strip(), err))


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("tables", "recalc"):
        sys.exit(__doc__)
    mode, hnbsim, results, work = sys.argv[1:]
    try:
        import openpyxl
    except ImportError:
        sys.exit("check_template: openpyxl is not installed (Debian: python3-openpyxl; scripts/setup installs it)")
    if mode == "recalc" and shutil.which("soffice") is None:
        print("check_template: SKIPPED: soffice (LibreOffice) is not installed; scripts/setup installs "
              "libreoffice-calc-nogui")
        sys.exit(77)
    os.makedirs(work, exist_ok=True)
    with open(results) as f:
        res = json.load(f)
    path = export(hnbsim, results, os.path.join(work, "export"))
    if mode == "tables":
        check_tables(path, res)
        # A placement's own "category" overrides the default mapping.
        for s in res["scenarios"]:
            s["placements"][0]["category"] = "other"
            s["placements"][-1]["category"] = "special"
        alt = os.path.join(work, "categories.json")
        with open(alt, "w") as f:
            json.dump(res, f)
        check_tables(export(hnbsim, alt, os.path.join(work, "export-categories")), res)
        # With need groups: the 13 primary needs table; without: none.
        bl = blocks(openpyxl.load_workbook(path)["Children and young people"], res)
        check(all("By primary need" not in b for b in bl.values()), "a needs table for results without needs")
        needs = with_needs(res)
        alt = os.path.join(work, "needs.json")
        with open(alt, "w") as f:
            json.dump(needs, f)
        check_needs(export(hnbsim, alt, os.path.join(work, "export-needs")), needs)
        # Other DSG blocks: Sutton's "other_blocks" line named as the schools block.
        blk = json.loads(json.dumps(res))
        for s in blk["scenarios"]:
            for line in s["funding_lines"]:
                if line["id"] != "hnb_allocation":
                    line["block"] = "schools"
        alt = os.path.join(work, "blocks.json")
        with open(alt, "w") as f:
            json.dump(blk, f)
        check_blocks(export(hnbsim, alt, os.path.join(work, "export-blocks")), blk)
        check_block_key(hnbsim, work)
    else:
        check_recalc(work, path, res)
    for f in failures[:60]:
        print("check_template: " + f)
    if len(failures) > 60:
        print("check_template: ... and %d more" % (len(failures) - 60))
    print("check_template: %d passed, %d failed" % (passed, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
