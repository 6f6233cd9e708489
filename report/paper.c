/* paper.c: the Schools Forum paper's frame and its public entry points
 * (hnb_paper_file, hnb_paper_results, hnb_paper_pdf in hnbsim_report.h).
 *
 * The paper is an evidence pack in a Forum paper's order: the headline, the
 * position by financial year, EHCPs by placement category, the management
 * plan's actions and savings, the risks, the assumptions with their sources,
 * the back-test, a methods note (docs/report.md). One HTML file holds it
 * all: the style sheet is inline, the charts are inline SVG, nothing is
 * fetched, so the file can be mailed, archived or printed as it is. The
 * style sheet prints on A4 (@page, page numbers in the margin, headings kept
 * with what follows, table headings repeated, rows and figures not split)
 * and is black on white: the tables and headings read the same in greyscale.
 *
 * The results are read only through the model's checked reader
 * (results_read) and then checked again, as the workbook checks them
 * (report_check), so a section can look figures up without testing each
 * one. Nothing is written unless the whole page was built. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileout.h"
#include "core/model.h"
#include "hnbsim_report.h"
#include "paper.h"
#include "results/results.h"
#include "rview.h"

static const char paper_css[] =
    "@page{size:A4;margin:15mm 14mm 17mm 14mm;"
    "@bottom-left{content:\"hnbsim: High Needs Block forecast, evidence pack\";font:7.5pt sans-serif;color:#000}"
    "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font:7.5pt sans-serif;color:#000}}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{font-family:\"DejaVu Sans\",Verdana,Arial,sans-serif;font-size:9.5pt;line-height:1.4;color:#000;"
    "background:#fff;max-width:182mm;margin:0 auto}\n"
    "h1{font-size:17pt;margin:0 0 .2em}h2{font-size:13pt;border-bottom:1.5px solid #000;margin:1.3em 0 .4em;"
    "break-after:avoid}h3{font-size:10.5pt;margin:1em 0 .3em;break-after:avoid}\n"
    "p{margin:.35em 0}.meta{font-size:8.5pt}.note{font-size:8pt}\n"
    ".lead{font-size:10.5pt;border-left:4px solid #000;padding-left:.6em;margin:.5em 0}\n"
    "table{border-collapse:collapse;width:100%;margin:.3em 0 1em;font-size:8pt;break-inside:avoid}\n"
    "table.src{break-inside:auto}caption{break-after:avoid}h3+p{break-after:avoid}\n"
    "thead tr{break-after:avoid}tbody tr:first-child{break-before:avoid}\n"
    "main>section+section{break-before:page}\n"
    "caption{text-align:left;font-weight:bold;caption-side:top;padding:0 0 .3em;font-size:8.5pt}\n"
    "th,td{border:.5pt solid #666;padding:1.5pt 3pt;vertical-align:top}\n"
    "thead th{background:#e8e8e8;text-align:center;font-weight:bold}\n"
    "tbody th[scope=row]{text-align:left;font-weight:normal}\n"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "tr.total th,tr.total td{font-weight:bold;border-top:1.5pt solid #000}\n"
    "thead{display:table-header-group}tr,figure{break-inside:avoid}\n"
    "table.wide{font-size:7pt}td.d{white-space:nowrap}\n"
    "table.src{table-layout:fixed}table.src td,table.src th{font-size:7pt;overflow-wrap:break-word}\n"
    "table.src th:nth-child(1){width:24%}table.src th:nth-child(2){width:12%}"
    "table.src th:nth-child(3){width:17%}table.src th:nth-child(4){width:11%}\n"
    "figure{margin:.4em 0 .6em}figure svg{width:100%;height:auto;max-height:105mm}\n"
    "figcaption{font-weight:bold;font-size:8.5pt}\n"
    "nav ol{margin:.2em 0 .6em 1.2em;padding:0}\n"
    "@media screen{body{padding:1em}}\n";

const cJSON *paper_parent(const paper *p, const cJSON *sc)
{
    const char *ext = report_str(sc, "extends");
    const cJSON *q;
    if (!*ext) return NULL;
    cJSON_ArrayForEach(q, p->scen) if (q != sc && !strcmp(report_str(q, "name"), ext)) return q;
    return NULL;
}

void paper_h2(paper *p, const char *id, const char *text)
{
    PB_TAG(&p->b, "<section aria-labelledby=\"");
    pb_esc(&p->b, id);
    PB_TAG(&p->b, "\">\n<h2 id=\"");
    pb_esc(&p->b, id);
    PB_TAG(&p->b, "\">");
    pb_escf(&p->b, "%d. %s", ++p->section, text);
    PB_TAG(&p->b, "</h2>\n");
}

void paper_table_open(paper *p, const char *id, const char *caption)
{
    PB_TAG(&p->b, "<table id=\"");
    pb_esc(&p->b, id);
    PB_TAG(&p->b, "\">\n<caption>");
    pb_escf(&p->b, "Table %d: %s", ++p->tab, caption);
    PB_TAG(&p->b, "</caption>\n");
}

void paper_table_close(paper *p) { PB_TAG(&p->b, "</table>\n"); }

static void paper_front(paper *p)
{
    pbuf *b = &p->b;
    const char *title = report_str(p->res, "title");
    PB_TAG(b, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<meta name=\"generator\" content=\"hnbsim\">\n<title>");
    pb_esc(b, *title ? title : "High Needs Block forecast");
    PB_TAG(b, ": evidence pack for the Schools Forum</title>\n<style>\n");
    pb_trusted_(b, paper_css, sizeof paper_css - 1); /* constant text of this file */
    PB_TAG(b, "</style>\n</head>\n<body>\n<header>\n<h1>");
    pb_esc(b, *title ? title : "High Needs Block forecast");
    PB_TAG(b, "</h1>\n<p class=\"lead\">High Needs Block forecast: evidence pack for the Schools Forum</p>\n"
              "<p class=\"meta\">");
    char d[PF_LEN];
    pf_date(d, report_str(p->res, "run_date"));
    pb_escf(b, "Produced by hnbsim %s on %s from ", report_str(p->res, "hnbsim_version"), d);
    const cJSON *in;
    int i = 0, n = cJSON_GetArraySize(report_get(p->res, "inputs"));
    cJSON_ArrayForEach(in, report_get(p->res, "inputs"))
    {
        if (i++) pb_esc(b, i == n ? " and " : ", ");
        pb_esc(b, cJSON_IsString(in) ? in->valuestring : "");
    }
    if (!n) pb_esc(b, "the embedded scenarios");
    pb_esc(b, ".");
    if (*report_str(p->res, "source")) pb_escf(b, " Sources: %s.", report_str(p->res, "source"));
    PB_TAG(b, " Money is in £m to one decimal place; a negative position is a deficit. Financial years run "
              "1 April to 31 March; EHCP counts are at the January census.</p>\n</header>\n");
    PB_TAG(b, "<nav aria-label=\"Contents\"><ol>"
              "<li><a href=\"#headline\">Headline</a></li>"
              "<li><a href=\"#position\">The DSG position by financial year</a></li>"
              "<li><a href=\"#ehcps\">EHCPs by placement category</a></li>"
              "<li><a href=\"#actions\">The management plan: actions and savings</a></li>"
              "<li><a href=\"#risks\">Risks</a></li>"
              "<li><a href=\"#assumptions\">Assumptions and their sources</a></li>"
              "<li><a href=\"#backtest\">Back-test against published figures</a></li>"
              "<li><a href=\"#methods\">Methods note</a></li></ol></nav>\n<main>\n");
}

int paper_build(paper *p)
{
    p->scen = report_get(p->res, "scenarios");
    pf_date(p->ovend, report_str(cJSON_GetArrayItem(p->scen, 0), "override_end"));
    paper_front(p);
    paper_headline(p);
    paper_position(p);
    paper_ehcps(p);
    paper_actions(p);
    paper_risks(p);
    paper_assumptions(p);
    paper_backtest(p);
    paper_methods(p);
    PB_TAG(&p->b, "</main>\n</body>\n</html>\n");
    return p->b.nomem ? err_set(p->h, HNB_E_NOMEM, "out of memory building the paper") : HNB_OK;
}

/* The paper from a results tree; results_path (when not NULL) is the file
 * the tree came from, which the charts are drawn from too. */
static int paper_write(hnb_model *h, const cJSON *doc, const char *results_path, const char *html_path)
{
    int rc = report_check(h, doc, html_path);
    if (rc) return rc;
    report_locale loc;
    if (report_locale_push(&loc)) return err_set(h, HNB_E_NOMEM, "out of memory (the C locale)");
    paper_charts ch = {""};
    rc = paper_charts_draw(h, results_path, &ch);
    paper p = {0};
    p.h = h;
    p.res = doc;
    p.charts = &ch;
    if (!rc) rc = paper_build(&p);
    if (!rc) rc = fileout_write_string(h, html_path, p.b.s);
    paper_charts_free(&ch);
    pb_free(&p.b);
    report_locale_pop(&loc);
    return rc;
}

int hnb_paper_file(hnb_model *h, const char *results_path, const char *html_path)
{
    cJSON *doc = NULL;
    int rc = results_read_checked(h, results_path, &doc);
    if (!rc) rc = report_check(h, doc, results_path); /* messages name the file read */
    if (!rc) rc = paper_write(h, doc, results_path, html_path);
    cJSON_Delete(doc);
    return rc;
}

int hnb_paper_results(hnb_model *h, const char *html_path)
{
    if (!h->results) return err_set(h, HNB_E_NOTRUN, "no results for the paper (expected hnb_run first)");
    return paper_write(h, h->results, NULL, html_path);
}

int hnb_paper_pdf(hnb_model *h, const char *html_path, const char *pdf_path)
{
    return paper_pdf(h, html_path, pdf_path);
}
