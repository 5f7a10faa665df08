"""The organisers' report as one self-contained HTML file: inline CSS and SVG, no
script and no fetch of anything, readable on a phone (one column, charts that
scale) and printable (sections kept whole, no dark backgrounds).

Every text that people typed goes through html.escape: a name like
<script>...</script> shows as typed."""

from __future__ import annotations

from html import escape
from typing import Any

from facilitator.export.report_doc import (
    SECTIONS, ReportDoc, challenge_lines, coverage_rows, equity_sentence, findings,
    group_lines, names, session_line, timeline_line)

#: Group colours, told apart in print by the dash of the outline as well.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22")
NO_GROUP = "#ffffff"

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1b1b1b; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.7rem; margin: .5rem 0 0; line-height: 1.2; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #ddd; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
.meta { color: #555; margin: .2rem 0 1rem; }
section { break-inside: avoid-page; }
figure { margin: 1rem 0; }
figcaption { color: #555; font-size: .9rem; }
svg { max-width: 100%; height: auto; display: block; }
#gini-by-round { width: 30rem; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e3e3;
         vertical-align: top; overflow-wrap: anywhere; }
td.n, th.n { text-align: right; white-space: nowrap; }
.goal-status { color: #555; font-style: italic; }
.neglected { color: #a40000; font-weight: 600; }
.answer { border-left: 3px solid #2ca02c; padding-left: .6rem; margin: .3rem 0 0; }
.open { border-left: 3px solid #d62728; padding-left: .6rem; margin: .3rem 0 0; }
ul { padding-left: 1.2rem; }
li { margin: .2rem 0; overflow-wrap: anywhere; }
.legend span { display: inline-block; margin-right: 1rem; white-space: nowrap; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border: 1px solid #333;
          margin-right: .3rem; vertical-align: -.1rem; }
footer { color: #777; font-size: .85rem; margin: 2rem 0 1rem; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid-page; }
  figure, table, li { break-inside: avoid; }
}
"""


def e(text: object) -> str:
    return escape(str(text if text is not None else ""), quote=True)


def render_html(doc: ReportDoc) -> str:
    body = [f"<header><h1>{e(doc.title)}</h1><p class=\"meta\">{e(session_line(doc))}</p>",
            _contents(), "</header>",
            _participation(doc), _groups(doc), _coverage(doc), _network(doc), _timeline(doc),
            f"<footer>Written by facilitator from {e(doc.report.get('session', {}).get('path', ''))}"
            f" (schema {e(doc.report.get('session', {}).get('schema_version', ''))}).</footer>"]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            # No script, no fetch: the policy says so to the browser too.
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
            " style-src 'unsafe-inline'; img-src data:\">\n"
            f"<title>{e(doc.title)}: session report</title>\n<style>{CSS}</style>\n</head>\n"
            "<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


def _contents() -> str:
    items = "".join(f"<li><a href=\"#{key}\">{e(title)}</a></li>" for key, title in SECTIONS)
    return f"<nav aria-label=\"Contents\"><ul>{items}</ul></nav>"


def _section(key: str, inner: str) -> str:
    title = dict(SECTIONS)[key]
    return f"<section id=\"{key}\">\n<h2>{e(title)}</h2>\n{inner}\n</section>"


# --------------------------------------------------------------- participation
def _participation(doc: ReportDoc) -> str:
    parts = [f"<p>{e(equity_sentence(doc))}</p>", share_chart(doc), gini_chart(doc)]
    rows = "".join(
        f"<tr><td>{e(r['round'])}</td><td class=\"n\">{r['entries']}</td>"
        f"<td class=\"n\">{r['speakers']}</td><td class=\"n\">{r['gini']:.2f}</td>"
        f"<td>{e(r['equity'])}</td></tr>" for r in doc.rounds)
    parts.append("<div class=\"table\"><table><thead><tr><th>Round</th><th class=\"n\">Entries</th>"
                 "<th class=\"n\">Spoke</th><th class=\"n\">Gini</th><th>Reading</th></tr></thead>"
                 f"<tbody>{rows}</tbody></table></div>")
    return _section("participation", "\n".join(parts))


def share_chart(doc: ReportDoc) -> str:
    """A horizontal bar per person: their share of all speaking turns."""
    shares = doc.talk_shares()
    if not shares:
        return "<p>Nobody is on the roster.</p>"
    top = max(s for _, _, s in shares) or 1.0
    row_h, label_w, bar_w = 22, 190, 330
    height = row_h * len(shares) + 10
    items = []
    for index, (name, turns, share) in enumerate(shares):
        y = 5 + index * row_h
        width = round(bar_w * share / top, 1)
        items.append(
            f"<g class=\"share\" data-name=\"{e(name)}\">"
            f"<text x=\"{label_w - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{e(_short(name, 26))}</text>"
            f"<rect x=\"{label_w}\" y=\"{y + 3}\" width=\"{width}\" height=\"{row_h - 7}\" fill=\"#1f77b4\"/>"
            f"<text x=\"{label_w + width + 5}\" y=\"{y + 15}\">{share:.0%} ({turns})</text></g>")
    return (f"<figure><svg class=\"chart\" id=\"talk-share\" viewBox=\"0 0 {label_w + bar_w + 90} {height}\""
            f" role=\"img\" aria-label=\"Share of speaking turns per person\" font-size=\"13\">"
            + "".join(items) + "</svg><figcaption>Share of speaking turns per person"
            " (turns in brackets).</figcaption></figure>")


def gini_chart(doc: ReportDoc) -> str:
    """A column per round: the Gini of speaking turns (lower is more even)."""
    rounds = doc.rounds
    if not rounds:
        return ""
    col_w, chart_h, top = 90, 140, 30
    width = max(300, col_w * len(rounds) + 40)
    items = [f"<line x1=\"30\" y1=\"{top + chart_h}\" x2=\"{width - 5}\" y2=\"{top + chart_h}\" stroke=\"#999\"/>"]
    for mark in (0.25, 0.5, 0.75, 1.0):
        y = top + chart_h - mark * chart_h
        items.append(f"<line x1=\"30\" y1=\"{y}\" x2=\"{width - 5}\" y2=\"{y}\" stroke=\"#eee\"/>"
                     f"<text x=\"26\" y=\"{y + 4}\" text-anchor=\"end\" font-size=\"10\">{mark:.2f}</text>")
    for index, item in enumerate(rounds):
        x = 40 + index * col_w
        h = round(item["gini"] * chart_h, 1)
        items.append(
            f"<g class=\"gini\" data-round=\"{e(item['round'])}\">"
            f"<rect x=\"{x}\" y=\"{top + chart_h - h}\" width=\"{col_w - 30}\" height=\"{h}\" fill=\"#ff7f0e\"/>"
            f"<text x=\"{x + (col_w - 30) / 2}\" y=\"{top + chart_h - h - 4}\" text-anchor=\"middle\">{item['gini']:.2f}</text>"
            f"<text x=\"{x + (col_w - 30) / 2}\" y=\"{top + chart_h + 16}\" text-anchor=\"middle\" font-size=\"11\">{e(_short(item['round'], 14))}</text></g>")
    return (f"<figure><svg class=\"chart\" id=\"gini-by-round\" viewBox=\"0 0 {width} {top + chart_h + 26}\""
            " role=\"img\" aria-label=\"Gini of speaking turns per round\" font-size=\"12\">"
            + "".join(items) + "</svg><figcaption>Gini of speaking turns per round: 0 is perfectly"
            " even, towards 1 one voice carries the round.</figcaption></figure>")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ---------------------------------------------------------------------- groups
def _groups(doc: ReportDoc) -> str:
    parts = []
    for round_name, groups in group_lines(doc):
        items = []
        for group, members, goals in groups:
            goal_items = "".join(
                f"<li>{e(g['text'])} <span class=\"goal-status\">({e(g['status'])}"
                + (f"; covers {e(', '.join(g['covers']))}" if g.get("covers") else "")
                + ")</span></li>" for g in goals)
            goal_list = f"<ul>{goal_items}</ul>" if goals else "<p class=\"goal-status\">No goals recorded.</p>"
            items.append(f"<li><strong>{e(group)}</strong> ({len(members)} people: {e(names(members, 8))})"
                         f"{goal_list}</li>")
        parts.append(f"<h3>{e(round_name)}</h3><ul class=\"groups\">{''.join(items)}</ul>")
    return _section("groups", "\n".join(parts) or "<p>No groups were formed.</p>")


# -------------------------------------------------------------------- coverage
def _coverage(doc: ReportDoc) -> str:
    neglected = set(doc.report.get("neglected", []))
    marked = ' class="neglected"'
    rows = "".join(
        f"<tr><td>{e(topic)}</td><td{marked if topic in neglected else ''}>{e(text)}</td></tr>"
        for topic, text in coverage_rows(doc))
    parts = [f"<div class=\"table\"><table><thead><tr><th>Essential topic</th><th>Covered by the goals of"
             f"</th></tr></thead><tbody>{rows}</tbody></table></div>" if rows
             else "<p>No essential topics were set.</p>"]
    challenges = challenge_lines(doc)
    if challenges:
        parts.append("<h3>Challenges and the groups' answers</h3><ul class=\"challenges\">")
        for c in challenges:
            answer = (f"<p class=\"answer\">Their answer: {e(c['answer'])}</p>" if c.get("answer")
                      else "<p class=\"open\">Not answered yet.</p>")
            parts.append(f"<li><strong>{e(c['group'])}</strong>"
                         f" ({e(c.get('round') or '')}, on {e(c.get('topic') or 'no topic')}):"
                         f" {e(c['text'])}{answer}</li>")
        parts.append("</ul>")
    return _section("coverage", "\n".join(parts))


# --------------------------------------------------------------------- network
def _network(doc: ReportDoc) -> str:
    items = "".join(f"<li>{e(f)}</li>" for f in findings(doc))
    parts = [f"<ul class=\"findings\">{items}</ul>" if items else "<p>No interactions yet.</p>",
             sociogram_svg(doc.sociogram)]
    return _section("network", "\n".join(parts))


def sociogram_svg(picture: dict[str, Any]) -> str:
    """The sociogram from the stored layout: a node per participant (circles filled
    by group, isolates hollow), a line per tie (thicker when heavier, an arrow
    towards whoever was addressed more; none for ties done together)."""
    nodes = picture.get("nodes", [])
    if not nodes:
        return ""
    w, h, pad = 760.0, 560.0, 60.0
    where = {n["name"]: (pad + n["x"] * (w - 2 * pad), pad * 0.6 + n["y"] * (h - 1.4 * pad))
             for n in nodes}
    out = [f"<figure><svg id=\"sociogram\" viewBox=\"0 0 {w:.0f} {h:.0f}\" role=\"img\""
           " aria-label=\"Sociogram: who interacted with whom\" font-size=\"12\">",
           # Arrowheads of one size whatever the line's width, tips at the circle's edge.
           "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"21\" refY=\"5\""
           " markerUnits=\"userSpaceOnUse\" markerWidth=\"8\" markerHeight=\"8\""
           " orient=\"auto-start-reverse\">"
           "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>", "<g class=\"ties\">"]
    for edge in picture.get("edges", []):
        if edge["source"] not in where or edge["target"] not in where:
            continue
        (x1, y1), (x2, y2) = where[edge["source"]], where[edge["target"]]
        width = min(6.0, 0.8 + edge["weight"] ** 0.5)
        markers = ""
        if edge.get("directed", True):
            markers = " marker-end=\"url(#arrow)\"" + (" marker-start=\"url(#arrow)\"" if edge.get("mutual") else "")
        out.append(f"<line class=\"tie\" x1=\"{x1:.1f}\" y1=\"{y1:.1f}\" x2=\"{x2:.1f}\" y2=\"{y2:.1f}\""
                   f" stroke=\"#777\" stroke-opacity=\"0.55\" stroke-width=\"{width:.1f}\"{markers}>"
                   f"<title>{e(edge['source'])} – {e(edge['target'])}: {edge['weight']}</title></line>")
    out.append("</g><g class=\"people\">")
    for node in nodes:
        x, y = where[node["name"]]
        index = node.get("group_index")
        fill = PALETTE[index % len(PALETTE)] if index is not None else NO_GROUP
        if node.get("isolate"):
            fill = NO_GROUP
        group = f", {node['group']}" if node.get("group") else ""
        out.append(f"<g class=\"node\" data-name=\"{e(node['name'])}\">"
                   f"<title>{e(node['name'])}{e(group)}</title>"
                   f"<circle cx=\"{x:.1f}\" cy=\"{y:.1f}\" r=\"9\" fill=\"{fill}\" stroke=\"#222\""
                   f" stroke-width=\"1.5\"/>"
                   f"<text x=\"{x:.1f}\" y=\"{y + 23:.1f}\" text-anchor=\"middle\">{e(node['label'])}</text></g>")
    out.append("</g></svg>")
    legend = "".join(f"<span><i class=\"swatch\" style=\"background:{PALETTE[i % len(PALETTE)]}\"></i>{e(g)}</span>"
                     for i, g in enumerate(picture.get("groups", [])))
    out.append(f"<figcaption>The sociogram as every co-facilitator saw it (the stored layout)."
               f" Filled by group; a hollow circle has no tie yet; thicker lines are heavier ties."
               f"<div class=\"legend\">{legend}</div></figcaption></figure>")
    return "".join(out)


# -------------------------------------------------------------------- timeline
def _timeline(doc: ReportDoc) -> str:
    items = "".join(f"<li>{e(timeline_line(item))}</li>" for item in doc.timeline)
    return _section("timeline", f"<ol class=\"timeline\">{items}</ol>" if items else "<p>No rounds.</p>")
