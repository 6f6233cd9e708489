#!/usr/bin/env python3
"""check_paper.py: the Schools Forum paper (hnbsim report), read back with a real
HTML parser (html.parser) and checked against the results JSON.

Usage: check_paper.py HNBSIM RESULTS.json WORKDIR

- Builds the paper for RESULTS.json (Sutton's golden results with Monte Carlo) and
  checks that every figure in its headline sentences and in every table (headline,
  cumulative and in-year position, each scenario's position, EHCPs by category,
  actions, chances, fan, tornado, assumptions, back-test) equals the JSON figure,
  rounded as the paper says (GBP m to one decimal place, whole children, 12.1%).
- Accessibility and self-containment: headings in order (h1, h2, h3, no level
  skipped), every th has a scope, every table a caption, every chart an <svg
  role="img"> labelled by its own <title> and <desc> and followed by the table of
  its figures; nothing external (no script, no src, no link, only #fragment hrefs).
- Hostile strings (a title, labels, a source with <script>, quotes, & and control
  characters) come out as the same text, never as markup.
- Bad input: a missing results file gives exit 1 or 3 and no HTML.
- The PDF (when chromium is installed; else that part is skipped with a note):
  a PDF of A4 pages, rendered to PNG by pdftoppm.
Every failure is printed; the exit status is 1 if there was any."""
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys

failures = []
passed = 0


def check(cond, what):
    global passed
    if cond:
        passed += 1
    else:
        failures.append(what)
    return cond


class Page(html.parser.HTMLParser):
    """Tables (by id: caption, heads, rows of [row head, cells]), headings, paragraphs
    by section, figures, svg attributes, and every tag and attribute seen."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.order, self.headings, self.paras = {}, [], [], {}
        self.tags, self.attrs, self.ids = [], [], set()
        self.stack, self.text = [], None
        self.table = self.row = self.cell = None
        self.section = None
        self.svgs, self.titles = [], {}
        self.seq = []  # figure / table order

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.attrs.append((tag, attrs))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "section":
            self.section = a.get("aria-labelledby")
        if tag in ("h1", "h2", "h3", "h4", "caption", "p", "th", "td", "title", "desc", "figcaption"):
            self.text = []
            self.cur = (tag, a)
        if tag == "table":
            self.table = {"id": a.get("id"), "caption": "", "heads": [], "rows": []}
            self.seq.append(("table", a.get("id")))
        if tag == "tr":
            self.row = []
        if tag == "th":
            check("scope" in a, "a th without scope in table %s" % (self.table or {}).get("id"))
        if tag == "svg":
            self.svgs.append(a)
            self.seq.append(("figure", a.get("aria-labelledby")))
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        if self.text is not None and tag == self.cur[0]:
            t = re.sub(r"\s+", " ", "".join(self.text)).strip()
            a = self.cur[1]
            if tag in ("h1", "h2", "h3", "h4"):
                self.headings.append((int(tag[1]), t))
            elif tag == "caption" and self.table is not None:
                self.table["caption"] = t
            elif tag == "p":
                self.paras.setdefault(self.section, []).append(t)
            elif tag == "th" and self.row is not None:
                self.row.append(("th", a.get("scope"), t))
            elif tag == "td" and self.row is not None:
                self.row.append(("td", None, t))
            elif tag in ("title", "desc") and "id" in a:
                self.titles[a["id"]] = t
            self.text = None
        if tag == "tr" and self.table is not None and self.row is not None:
            if all(c[0] == "th" and c[1] == "col" for c in self.row):
                self.table["heads"] = [c[2] for c in self.row]
            else:
                self.table["rows"].append([c[2] for c in self.row])
            self.row = None
        if tag == "table" and self.table is not None:
            self.tables[self.table["id"]] = self.table
            self.table = None

    def handle_data(self, data):
        if self.text is not None:
            self.text.append(data)


def m1(x):
    if x is None:
        return ""
    s = "%.1f" % (x / 1e6)
    if s in ("-0.0",):
        s = "0.0"
    return "{:,}".format(float(s)) if False else group(s)


def group(s):
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    whole, _, frac = s.partition(".")
    whole = "{:,}".format(int(whole))
    return ("-" if neg else "") + whole + ("." + frac if frac else "")


def count(x):
    s = "%.0f" % x
    return group("0" if s == "-0" else s)


def pct(x):
    s = "%.1f" % (x * 100)
    return ("0.0" if s == "-0.0" else s) + "%"


def money(x):
    s = "%.1f" % (abs(x) / 1e6)
    return "£" + group(s) + "m"


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return p


def table_eq(page, tid, heads, rows):
    t = page.tables.get(tid)
    if not check(t is not None, "table %s missing" % tid):
        return
    check(t["caption"].startswith("Table "), "table %s: caption %r" % (tid, t["caption"]))
    if heads is not None:
        check(t["heads"] == heads, "table %s: headings %r, expected %r" % (tid, t["heads"], heads))
    check(len(t["rows"]) == len(rows), "table %s: %d rows, expected %d" % (tid, len(t["rows"]), len(rows)))
    for got, want in zip(t["rows"], rows):
        check(got == want, "table %s: row %r, expected %r" % (tid, got, want))


def words_range(lo, hi, in_deficit):
    if hi <= -0.05e6:
        return ("" if in_deficit else "a deficit of ") + "%s to %s" % (money(hi), money(lo))
    if lo >= 0.05e6:
        return "a surplus of %s to %s" % (money(lo), money(hi))
    return None


def fy_end(fy):
    return "31 March %d" % (int(fy[:4]) + 1)


def check_figures(page, res):
    scens = res["scenarios"]
    names = {s["name"]: s for s in scens}
    ov = scens[0]["override_end"]
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]

    def date(iso):
        y, m, d = iso.split("-")
        return "%d %s %s" % (int(d), months[int(m) - 1], y)

    ovd = date(ov)
    # headline sentences: one paragraph per scenario, every figure in it
    paras = page.paras.get("headline", [])
    for s in scens:
        hl, mc = s["headline"], s.get("montecarlo")
        p = [t for t in paras if t.startswith(s["label"] + ".")]
        if not check(len(p) == 1, "headline: no paragraph for %s" % s["name"]):
            continue
        p = p[0]
        x = hl["cumulative_at_override_end"]
        want = "On current assumptions the cumulative deficit reaches %s by %s" % (money(x), ovd)
        if mc:
            h = mc["headline"]["cumulative_at_override_end"]
            want += " (90%% range %s)" % words_range(h["p5"], h["p95"], True)
        check(want + "." in p, "headline %s: %r not in %r" % (s["name"], want, p))
        wo, g = hl["writeoff_to_override_end"], hl["cumulative_at_override_end_gross"]
        if abs(wo) >= 0.05e6:
            want = "Before the %s of deficit written off by then, it would be a deficit of %s" % (money(wo), money(g))
            if mc:
                h = mc["headline"]["cumulative_at_override_end_gross"]
                want += " (90%% range %s)" % words_range(h["p5"], h["p95"], True)
            check(want + "." in p, "headline %s: %r not in %r" % (s["name"], want, p))
        if mc:
            b = mc["probabilities"]["in_year_balance_by"]
            want = "The chance of an in-year balance by %s is %s (in %s simulated futures)." % (
                b["fy"], pct(b["p"]), count(mc["paths"]))
            check(want in p, "headline %s: %r not in %r" % (s["name"], want, p))
        if hl["first_balanced_fy"]:
            check("first balances in year in %s." % hl["first_balanced_fy"] in p, "headline %s: first balanced" % s["name"])
        else:
            check("does not balance in year by %s" % s["last_fy"] in p, "headline %s: never balances" % s["name"])
        check("The deficit is largest, %s, at the end of %s." % (money(hl["peak_deficit"]), hl["peak_deficit_fy"]) in p,
              "headline %s: peak deficit" % s["name"])
    rows = []
    for s in scens:
        hl, mc = s["headline"], s.get("montecarlo")
        h = mc["headline"]["cumulative_at_override_end"] if mc else None
        b = mc["probabilities"]["in_year_balance_by"] if mc else None
        rows.append([s["label"], m1(hl["cumulative_at_override_end"]), m1(hl["cumulative_at_override_end_gross"]),
                     m1(hl["writeoff_to_override_end"]), m1(h["p5"]) if h else "no Monte Carlo",
                     m1(h["p95"]) if h else "no Monte Carlo",
                     "%s by %s" % (pct(b["p"]), b["fy"]) if b else "no Monte Carlo"])
    table_eq(page, "headline-table", None, rows)

    # the position: outturn years then projected years
    first = scens[0]["years"][0]["fy"]
    out = [a for a in scens[0].get("actuals", {}).get("finance", []) if a["status"] == "outturn" and a["fy"] < first]
    fys = [y["fy"] for y in scens[0]["years"]]
    heads = ["Scenario"] + ["%s outturn" % a["fy"] for a in out] + fys
    for tid, key in (("position-cumulative", "cumulative"), ("position-in-year", "in_year")):
        rows = []
        for s in scens:
            fin = {a["fy"]: a for a in s.get("actuals", {}).get("finance", []) if a["status"] == "outturn"}
            rows.append([s["label"]] + [m1(fin[a["fy"]][key]) if a["fy"] in fin else "" for a in out] +
                        [m1(y[key]) for y in s["years"]])
        table_eq(page, tid, heads, rows)
    for s in scens:
        ys = s["years"]
        rows = [["Total funding"] + [m1(y["funding"]["total"]) for y in ys],
                ["Total spend"] + [m1(y["spend"]["total"]) for y in ys],
                ["In-year position"] + [m1(y["in_year"]) for y in ys]]
        if "writeoff" in ys[0]:
            rows += [["Deficit written off"] + [m1(y["writeoff"]) for y in ys],
                     ["Cumulative position before write-offs"] + [m1(y["cumulative_gross"]) for y in ys]]
        rows.append(["Cumulative position carried forward"] + [m1(y["cumulative"]) for y in ys])
        table_eq(page, "position-" + s["name"], ["Line"] + [y["fy"] for y in ys], rows)

    # EHCPs by category (the mapping of docs/spreadsheets.md, as check_template.py reads it)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import check_template as ct
    for s in scens:
        par = names.get(s.get("extends") or "")
        same = par is not None and all(a["ehcps"]["by_placement"] == b["ehcps"]["by_placement"]
                                       for a, b in zip(s["years"], par["years"]))
        if same:
            check(("ehcps-" + s["name"]) not in page.tables, "ehcps-%s: a table for a scenario the same as its parent" % s["name"])
            check(any("EHCPs as in %s" % par["label"] in t for t in page.paras.get("ehcps", [])),
                  "ehcps-%s: no 'as in' sentence" % s["name"])
            continue
        cols = [s["start"]] + s["years"]
        heads = ["Placement category", "January %d actual" % s["start"]["census"]] + \
                ["January %d" % y["census"] for y in s["years"]]
        rows = []
        for k, key in enumerate(ct.CAT_KEYS):
            row = [ct.CATS[k]]
            for y in cols:
                row.append(count(sum(y["ehcps"]["by_placement"][pl["id"]] for pl in s["placements"]
                                     if ct.category(pl) == k)))
            rows.append(row)
        rows.append(["Total EHCPs"] + [count(y["ehcps"]["total"]) for y in cols])
        table_eq(page, "ehcps-" + s["name"], heads, rows)
        e0, e1 = s["start"]["ehcps"]["total"], s["years"][-1]["ehcps"]["total"]
        want = "EHCPs rise from %s in January %d to %s in January %d (up %s)." % (
            count(e0), s["start"]["census"], count(e1), s["years"][-1]["census"], pct(e1 / e0 - 1))
        check(any(want in t for t in page.paras.get("ehcps", [])), "ehcps %s: %r" % (s["name"], want))

    # actions
    for s in scens:
        sv = s.get("savings")
        if not sv:
            continue
        tot = sv["total"]["to_horizon"]
        share = lambda x: pct(x / tot) if abs(tot) >= 0.5 else ""
        heads = ["Action", "Start", "Ramp to full effect", "Delivery confidence"] + [y["fy"] for y in s["years"]] + \
                ["To " + ovd, "To " + fy_end(s["last_fy"]), "Share of the saving to then"]
        rows = []
        for a in sv["actions"]:
            ramp = "at once" if a["ramp_months"] == 0 else "%.0f months" % a["ramp_months"]
            rows.append([a["name"], date(a["start"]), ramp, pct(a["delivery"])] +
                        [m1(a["by_year"][y["fy"]]) for y in s["years"]] +
                        [m1(a["to_override_end"]), m1(a["to_horizon"]), share(a["to_horizon"])])
        if "other_changes" in sv:
            o = sv["other_changes"]
            rows.append(["Other changes against the parent (not actions)", "", "", ""] +
                        [m1(o["by_year"][y["fy"]]) for y in s["years"]] +
                        [m1(o["to_override_end"]), m1(o["to_horizon"]), share(o["to_horizon"])])
        rows.append(["All actions", "", "", ""] + [m1(sv["total"]["by_year"][y["fy"]]) for y in s["years"]] +
                    [m1(sv["total"]["to_override_end"]), m1(tot), share(tot)])
        table_eq(page, "actions-" + s["name"], heads, rows)

    # risks: chances, fans, tornado
    rows = []
    for s in scens:
        mc = s.get("montecarlo")
        if not mc:
            continue
        pr = mc["probabilities"]
        b, d = pr["in_year_balance_by"], pr["deficit_at_override_end_above"]
        rows.append([s["label"], "%s by %s" % (pct(b["p"]), b["fy"]), "%s above %s" % (pct(d["p"]), money(d["threshold"])),
                     pct(pr["deficit_grows_every_year"])])
        table_eq(page, "fan-" + s["name"], ["Financial year", "P5", "P25", "Median (P50)", "P75", "P95"],
                 [[y["fy"]] + [m1(y["cumulative"][k]) for k in ("p5", "p25", "p50", "p75", "p95")] for y in mc["years"]])
    if rows:
        table_eq(page, "chances", None, rows)
    else:
        check("chances" not in page.tables, "a chances table without Monte Carlo")
    sw = res.get("sweep")
    if isinstance(sw, dict) and sw.get("bars"):
        table_eq(page, "tornado-table", None,
                 [[b["assumption"], b["low_label"], m1(b["low"]), b["high_label"], m1(b["high"]),
                   m1(abs(b["high"] - b["low"]))] for b in sw["bars"]])

    # assumptions: every value exactly, with unit, uncertainty and source
    for s in scens:
        t = page.tables.get("assumptions-" + s["name"])
        par = names.get(s.get("extends") or "")
        own = [a for a in s["assumptions"] if not (par and any(
            q["path"] == a["path"] and q["value"] == a["value"] and q["unit"] == a["unit"] and
            q["source"] == a["source"] and q["distribution"] == a["distribution"] for q in par["assumptions"]))]
        if not own:
            check(t is None, "assumptions-%s: a table with nothing of its own" % s["name"])
            continue
        if not check(t is not None, "assumptions-%s missing" % s["name"]):
            continue
        check(len(t["rows"]) == len(own), "assumptions-%s: %d rows, expected %d" % (s["name"], len(t["rows"]), len(own)))
        for row, a in zip(t["rows"], own):
            path = a["path"].split(".", 2)[2] if a["path"].startswith("scenarios.") else a["path"]
            v = a["value"]
            if isinstance(v, list):
                val = re.fullmatch(r"(\d+) values, (\S+) to (\S+)", row[1])
                ok = val and int(val.group(1)) == len(v) and float(val.group(2)) == min(v) and float(val.group(3)) == max(v)
            else:
                ok = float(row[1].replace(",", "")) == v
            check(row[0] == path and ok and row[2] == a["unit"] and
                  row[3] == (a["distribution"] or "fixed") and row[4] == a["source"],
                  "assumptions-%s: row %r for %r" % (s["name"], row, a))

    # back-test: every row of every distinct back-test
    seen = []
    for bt in res.get("backtest") or []:
        sc = names.get(bt["scenario"])
        if any(prev == bt["rows"] for prev in seen):
            check(("backtest-" + bt["scenario"]) not in page.tables, "backtest-%s: repeated" % bt["scenario"])
            continue
        seen.append(bt["rows"])
        fin = {a["fy"]: a["status"] for a in sc.get("actuals", {}).get("finance", [])}
        rows = []
        for r in bt["rows"]:
            money_row = r["figure"] != "ehcps"
            f = m1 if money_row else count
            when = ("%s (%s)" % (r["when"], fin[r["when"]]) if r["when"] in fin else r["when"]) if money_row \
                else "January " + r["when"]
            label = {"ehcps": "EHCPs", "in_year": "In-year position", "cumulative": "Cumulative position"}[r["figure"]]
            rows.append([label, when, f(r["model"]), f(r["actual"]), f(r["error"]), pct(r["error_pct"] / 100)])
        table_eq(page, "backtest-" + bt["scenario"], ["Figure", "When", "Model", "Published", "Error", "Error (%)"], rows)


def check_structure(page, path, min_charts=5):
    # headings in order: one h1 first, no level skipped
    levels = [h[0] for h in page.headings]
    check(levels[:1] == [1] and levels.count(1) == 1, "headings: %r (expected one h1 first)" % levels[:5])
    for a, b in zip(levels, levels[1:]):
        check(b <= a + 1, "headings: h%d after h%d" % (b, a))
    want = ["Headline", "The DSG position by financial year", "EHCPs by placement category",
            "The management plan: actions and savings", "Risks", "Assumptions and their sources",
            "Back-test against published figures", "Methods note"]
    h2 = [h[1] for h in page.headings if h[0] == 2]
    check(h2 == ["%d. %s" % (i + 1, w) for i, w in enumerate(want)], "sections: %r" % h2)
    for tid, t in page.tables.items():
        check(bool(t["caption"]), "table %s: no caption" % tid)
        check(bool(t["heads"]), "table %s: no column headings" % tid)
    # charts: labelled by their own title and description, each followed by a table
    check(len(page.svgs) >= min_charts, "%d charts inlined, expected at least %d" % (len(page.svgs), min_charts))
    for a in page.svgs:
        ids = (a.get("aria-labelledby") or "").split()
        check(a.get("role") == "img" and len(ids) == 2 and all(page.titles.get(i) for i in ids),
              "svg %r: not labelled by a title and a description" % ids)
    for i, (kind, ident) in enumerate(page.seq):
        if kind == "figure":
            check(i + 1 < len(page.seq) and page.seq[i + 1][0] == "table", "chart %s: not followed by its table" % ident)
    # self-contained, nothing that runs
    check("script" not in page.tags and "link" not in page.tags and "img" not in page.tags and "iframe" not in page.tags,
          "a script, link, img or iframe element")
    for tag, attrs in page.attrs:
        for k, v in attrs:
            check(not k.startswith("on"), "%s has an event handler %s" % (tag, k))
            check(k != "src", "%s has src=%r" % (tag, v))
            if k in ("href", "xlink:href"):
                check(v.startswith("#"), "%s links outside the file: %r" % (tag, v))
    text = open(path, encoding="utf-8").read()
    check("@page" in text and "A4" in text, "no @page A4 rule")
    check(not re.search(r"url\((?!#)", text), "a url() to something outside the file")
    ids = re.findall(r'\bid=["\']([^"\']+)', text)
    dup = sorted({i for i in ids if ids.count(i) > 1})
    check(not dup, "ids used twice: %r" % dup[:5])


HOSTILE = "<script>alert('x')</script> & \"quoted\" \x01 </table>"


def check_hostile(hnbsim, res, work):
    doc = json.loads(json.dumps(res))
    doc["title"] = "Borough of " + HOSTILE
    doc["scenarios"][0]["label"] = "Baseline " + HOSTILE
    doc["scenarios"][0]["assumptions"][0]["source"] = "Source " + HOSTILE
    doc["source"] = "<img src=x onerror=alert(1)>"
    path = os.path.join(work, "hostile.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    out = os.path.join(work, "hostile.html")
    p = subprocess.run([hnbsim, "report", path, "--out", out, "--no-pdf"], capture_output=True, text=True)
    if not check(p.returncode == 0, "hostile: exit %d: %s" % (p.returncode, p.stderr)):
        return
    page = parse(out)
    clean = HOSTILE.replace("\x01", "")
    check(page.headings[0][1] == re.sub(r"\s+", " ", "Borough of " + clean).strip(), "hostile title: %r" % page.headings[0][1])
    rows = page.tables["headline-table"]["rows"]
    check(rows[0][0] == re.sub(r"\s+", " ", "Baseline " + clean).strip(), "hostile label: %r" % rows[0][0])
    check("script" not in page.tags and "img" not in page.tags, "hostile text became an element")
    check(all(not k.startswith("on") for _, a in page.attrs for k, _ in a), "hostile text became an attribute")
    text = open(out, encoding="utf-8").read()
    check("\x01" not in text, "a control character reached the HTML")
    check("&lt;script&gt;" in text, "the label is not escaped as &lt;script&gt;")
    check(page.tables.get("position-cumulative") is not None, "hostile: the tables after the label are lost")


def check_needs(hnbsim, res, work):
    """With need groups (as a model with needs writes them): a table of EHCPs by primary
    need, DfE's codes first in DfE's order with DfE's names, then the others."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import check_template as ct
    doc = ct.with_needs(res)
    path = os.path.join(work, "needs.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    out = os.path.join(work, "needs.html")
    p = subprocess.run([hnbsim, "report", path, "--out", out, "--no-pdf"], capture_output=True, text=True)
    if not check(p.returncode == 0, "needs: exit %d: %s" % (p.returncode, p.stderr)):
        return
    page = parse(out)
    ids = {"Autistic spectrum disorder": "asd", "Social, emotional and mental health": "SEMH",
           "Speech, language and communication needs": "SLCN", "Other needs (pooled)": "other_needs"}
    for s in doc["scenarios"]:
        if ("ehcps-" + s["name"]) not in page.tables:
            continue
        cols = [s["start"]] + s["years"]
        rows = [[lab] + [count(y["ehcps"]["by_need"][ids[lab]]) for y in cols] for lab in ct.NEED_ROWS]
        rows.append(["Total EHCPs"] + [count(y["ehcps"]["total"]) for y in cols])
        table_eq(page, "ehcps-need-" + s["name"], ["Primary need", "January %d actual" % s["start"]["census"]] +
                 ["January %d" % y["census"] for y in s["years"]], rows)


def check_bad(hnbsim, work):
    out = os.path.join(work, "bad.html")
    p = subprocess.run([hnbsim, "report", os.path.join(work, "missing.json"), "--out", out], capture_output=True, text=True)
    check(p.returncode in (1, 3) and "missing.json" in p.stderr, "missing results: exit %d, %r" % (p.returncode, p.stderr))
    check(not os.path.exists(out), "missing results: an HTML file was written")
    p = subprocess.run([hnbsim, "report"], capture_output=True, text=True)
    check(p.returncode == 2, "no results file: exit %d (expected 2)" % p.returncode)


def check_no_chromium(hnbsim, results, work):
    """Without Chromium the PDF is skipped with a note (exit 0); a Chromium that fails
    is an error (exit 3) that leaves no PDF; the HTML is written either way."""
    for exe, code, msg in (("/nonexistent/chromium", 0, "hnbsim: note: chromium: not found"),
                           ("/bin/false", 3, "chromium exited (status 1) without printing a PDF")):
        out = os.path.join(work, "nochrome", "paper.html")
        shutil.rmtree(os.path.dirname(out), ignore_errors=True)
        p = subprocess.run([hnbsim, "report", results, "--out", out], capture_output=True, text=True,
                           env=dict(os.environ, HNB_CHROMIUM=exe))
        check(p.returncode == code and msg in p.stderr, "HNB_CHROMIUM=%s: exit %d, %r (expected %d, %r)" %
              (exe, p.returncode, p.stderr.strip(), code, msg))
        check(os.path.exists(out) and not os.path.exists(out[:-5] + ".pdf"),
              "HNB_CHROMIUM=%s: expected the HTML and no PDF" % exe)
        check(not [f for f in os.listdir(os.path.dirname(out)) if ".tmp." in f],
              "HNB_CHROMIUM=%s: a temporary file left behind" % exe)


def check_pdf(pdf, work):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or os.environ.get("HNB_CHROMIUM")
    if not chromium:
        print("check_paper: note: chromium not installed, the PDF is not checked")
        return
    if not check(os.path.exists(pdf), "no PDF written beside the HTML"):
        return
    with open(pdf, "rb") as f:
        check(f.read(5) == b"%PDF-", "the PDF is not a PDF")
    check(os.path.getsize(pdf) < 10e6, "the PDF is %.1f MB (expected under 10 MB to mail)" % (os.path.getsize(pdf) / 1e6))
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
        pages = re.search(r"Pages:\s+(\d+)", info)
        check(size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2,
              "PDF pages are not A4: %r" % (size.group(0) if size else info))
        check(pages and int(pages.group(1)) >= 5, "PDF has %s pages" % (pages.group(1) if pages else "?"))
    if shutil.which("pdftoppm"):
        png = os.path.join(work, "page")
        p = subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", pdf, png], capture_output=True)
        check(p.returncode == 0 and os.path.exists(png + "-01.png"), "pdftoppm could not render the PDF")


def main():
    hnbsim, results, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(results, encoding="utf-8") as f:
        res = json.load(f)
    out = os.path.join(work, "report.html")
    env = dict(os.environ, HNB_CHROMIUM_TIMEOUT="300")
    p = subprocess.run([hnbsim, "report", results, "--out", out], capture_output=True, text=True, env=env)
    if check(p.returncode == 0, "hnbsim report: exit %d: %s" % (p.returncode, p.stderr)):
        page = parse(out)
        check_structure(page, out)
        check_figures(page, res)
        check_pdf(os.path.join(work, "report.pdf"), work)
    # run --report: the paper beside the run's results, from the handle's results
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "example.json")
    run = os.path.join(work, "run")
    p = subprocess.run([hnbsim, "run", src, "--report", "--out", run, "--quiet"], capture_output=True, text=True, env=env)
    if check(p.returncode == 0, "run --report: exit %d: %s" % (p.returncode, p.stderr)):
        with open(os.path.join(run, "results.json"), encoding="utf-8") as f:
            rres = json.load(f)
        page = parse(os.path.join(run, "report.html"))
        check_structure(page, os.path.join(run, "report.html"), 3)
        check_figures(page, rres)
        check_pdf(os.path.join(run, "report.pdf"), work)
    check_hostile(hnbsim, res, work)
    check_no_chromium(hnbsim, results, work)
    check_needs(hnbsim, res, work)
    check_bad(hnbsim, work)
    for f in failures[:60]:
        print("FAIL:", f)
    if len(failures) > 60:
        print("... and %d more" % (len(failures) - 60))
    print("check_paper: %d checks passed, %d failed" % (passed, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
