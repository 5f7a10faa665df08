"""The organisers' report, drawn from the report's data: a short summary for the
terminal, Markdown, and (report_html) one self-contained HTML file.

Every section reads the same ReportDoc, so the three say the same things:
participation and equity per round, groups and their own goals, coverage of the
essential topics and the challenges with the groups' answers, the network findings
with the sociogram, and a short timeline per round."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facilitator.export.files import ExportFiles


@dataclass(frozen=True)
class ReportDoc:
    report: dict[str, Any]
    #: Per round: round, entries, groups, speakers, gini, equity (core.exporting).
    rounds: list[dict[str, Any]]
    #: nodes (name, label, group, x, y, isolate), edges, groups, ascii (the picture).
    sociogram: dict[str, Any] = field(default_factory=dict)
    timeline: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.report.get("session", {}).get("title") or "Session")

    def people(self) -> list[dict[str, Any]]:
        return list(self.report.get("participants", []))

    def talk_shares(self) -> list[tuple[str, int, float]]:
        """(name, turns, share of all speaking turns), most turns first."""
        people = self.people()
        total = sum(p.get("turns", 0) for p in people)
        rows = [(p["name"], p.get("turns", 0), p.get("turns", 0) / total if total else 0.0)
                for p in people]
        return sorted(rows, key=lambda r: (-r[1], r[0].casefold()))


SECTIONS = (("participation", "Participation and equity"),
            ("groups", "Groups and their goals"),
            ("coverage", "Coverage and challenges"),
            ("network", "The network"),
            ("timeline", "Timeline"))


def render_report(fmt: str, doc: ReportDoc) -> str:
    """The organisers' report as HTML or Markdown text."""
    if fmt == "html":
        from facilitator.export.report_html import render_html

        return render_html(doc)
    return render_markdown(doc)


def write_report(files: ExportFiles, name: str, fmt: str, doc: ReportDoc) -> None:
    with files.open_text(name, bom=False) as handle:
        handle.write(render_report(fmt, doc))


def names(items: list[str], limit: int = 6) -> str:
    """'A, B and C' (and N more)."""
    shown = list(items[:limit])
    more = len(items) - len(shown)
    if more > 0:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def session_line(doc: ReportDoc) -> str:
    report = doc.report
    session = report.get("session", {})
    interactions = report.get("interactions", {})
    created = str(session.get("created_at") or "")[:10]
    voided = interactions.get("voided", 0)
    undone = f" ({voided} undone)" if voided else ""
    return (f"{created} · {plural(len(doc.people()), 'participant')} · "
            f"{plural(len([r for r in doc.rounds if r.get('position') is not None]), 'round')} · "
            f"{plural(interactions.get('total', 0), 'entry').replace('entrys', 'entries')}{undone}")


def equity_sentence(doc: ReportDoc) -> str:
    equity = doc.report.get("equity", {})
    not_spoken = doc.report.get("not_spoken", [])
    text = (f"Speaking turns across the session: {equity.get('reading', 'not counted')}"
            f" (Gini {equity.get('gini', 0):.2f}; 0 is perfectly even).")
    if not_spoken:
        text += f" Not yet heard in the current round: {names(not_spoken)}."
    return text


def round_line(item: dict[str, Any]) -> str:
    return (f"{item['round']}: {item['entries']} entries, {item['speakers']} people spoke,"
            f" Gini {item['gini']:.2f} ({item['equity']})")


def group_lines(doc: ReportDoc) -> list[tuple[str, list[tuple[str, list[str], list[dict[str, Any]]]]]]:
    """Per round: (round, [(group, members, goals)]), goals from the goals section."""
    goals: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for entry in doc.report.get("goals", []):
        goals[(entry.get("round"), entry["group"])] = entry.get("goals", [])
    out = []
    for item in doc.report.get("groups", []):
        groups = [(g["name"], g.get("was_in") or g.get("members", []),
                   goals.get((item.get("round"), g["name"]), []))
                  for g in item.get("groups", [])]
        if groups:
            out.append((item.get("round") or "outside any round", groups))
    return out


def coverage_rows(doc: ReportDoc) -> list[tuple[str, str]]:
    neglected = set(doc.report.get("neglected", []))
    rows = []
    for topic, groups in doc.report.get("coverage", {}).items():
        if topic in neglected or not groups:
            rows.append((topic, "neglected: no group's goals cover it"))
        else:
            rows.append((topic, names([g["group"] for g in groups])))
    return rows


def challenge_lines(doc: ReportDoc) -> list[dict[str, Any]]:
    return list(doc.report.get("challenges", []))


def findings(doc: ReportDoc) -> list[str]:
    return list(doc.report.get("network", {}).get("findings", []))


def timeline_line(item: dict[str, Any]) -> str:
    start = str(item.get("started_at") or "")[11:16]
    end = str(item.get("ended_at") or "")[11:16]
    when = f"{start}–{end} UTC" if start and end else (f"from {start} UTC" if start else "not started")
    parts = [when]
    if item.get("groups"):
        parts.append(f"groups: {names(item['groups'])}")
    if item.get("goals"):
        parts.append(f"{item['goals']} goals set")
    if item.get("challenges"):
        parts.append(f"{item['challenges']} challenges")
    if item.get("busiest"):
        parts.append("most logged: " + ", ".join(f"{label} {n}" for label, n in item["busiest"]))
    return f"{item['round']}: " + "; ".join(parts)


# --------------------------------------------------------------------- terminal
def render_summary(doc: ReportDoc) -> str:
    """`facilitator report`: a screen or two for the facilitator, in sentences."""
    lines = [doc.title, session_line(doc)]
    current = doc.report.get("session", {}).get("current_round")
    if current:
        ended = " (ended)" if doc.report.get("session", {}).get("between_rounds") else ""
        lines.append(f"Current round: {current}{ended}")
    lines += ["", "Participation and equity"]
    lines += [f"  {round_line(r)}" for r in doc.rounds]
    lines.append(f"  {equity_sentence(doc)}")
    shares = [s for s in doc.talk_shares() if s[1]]
    if shares:
        lines.append("  Most turns: " + ", ".join(f"{n} {t} ({share:.0%})" for n, t, share in shares[:5]))
    lines += ["", "Groups and their goals"]
    if not group_lines(doc):
        lines.append("  No groups were formed.")
    for round_name, groups in group_lines(doc):
        parts = []
        for group, members, goals in groups:
            done = sum(1 for g in goals if g.get("status") == "done")
            goal_text = f", {plural(len(goals), 'goal')} ({done} done)" if goals else ""
            parts.append(f"{group} ({len(members)}{goal_text})")
        lines.append(f"  {round_name}: " + "; ".join(parts))
    lines += ["", "Coverage and challenges"]
    lines += [f"  {topic}: {text}" for topic, text in coverage_rows(doc)] or ["  No essential topics."]
    for c in challenge_lines(doc):
        answer = f" Answer: {c['answer']}" if c.get("answer") else " Not answered yet."
        lines.append(f"  Challenge to {c['group']} ({c.get('topic') or 'no topic'}): {c['text']}{answer}")
    lines += ["", "The network"]
    lines += [f"  {f}" for f in findings(doc)]
    return "\n".join(lines)


# --------------------------------------------------------------------- Markdown
def md(text: object) -> str:
    """Text for Markdown, shown as typed: markup characters escaped, line breaks kept
    out of table cells."""
    out = str(text if text is not None else "")
    for char in "\\`*_[]<>|~":
        out = out.replace(char, "\\" + char)
    out = out.replace("\r", " ").replace("\n", " ")
    # What only counts at the start of a line: a heading, a list, a quote.
    if out[:1] in ("#", "+", "-", "=", ">") or (out[:1].isdigit() and ". " in out[:12]):
        out = "\\" + out
    return out


def bar(share: float, width: int = 20) -> str:
    full = round(share * width)
    return "█" * full + "·" * (width - full)


def render_markdown(doc: ReportDoc) -> str:
    out = [f"# {md(doc.title)}", "", md(session_line(doc)), ""]
    out += ["## Participation and equity", "", md(equity_sentence(doc)), ""]
    out += ["| Round | Entries | Spoke | Gini | Reading |", "|---|---:|---:|---:|---|"]
    out += [f"| {md(r['round'])} | {r['entries']} | {r['speakers']} | {r['gini']:.2f} |"
            f" {md(r['equity'])} |" for r in doc.rounds]
    out += ["", "Share of speaking turns:", "", "| Person | Turns | Share | |",
            "|---|---:|---:|---|"]
    out += [f"| {md(n)} | {t} | {share:.0%} | `{bar(share)}` |" for n, t, share in doc.talk_shares()]
    out += ["", "## Groups and their goals", ""]
    for round_name, groups in group_lines(doc):
        out.append(f"### {md(round_name)}")
        out.append("")
        for group, members, goals in groups:
            out.append(f"- **{md(group)}** ({len(members)} people: {md(names(members, 8))})")
            for goal in goals:
                covers = f" — covers {md(', '.join(goal['covers']))}" if goal.get("covers") else ""
                out.append(f"  - {md(goal['text'])} *({md(goal['status'])})*{covers}")
        out.append("")
    out += ["## Coverage and challenges", "", "| Essential topic | Covered by |", "|---|---|"]
    out += [f"| {md(topic)} | {md(text)} |" for topic, text in coverage_rows(doc)]
    out.append("")
    for c in challenge_lines(doc):
        out.append(f"- Challenge to **{md(c['group'])}** on {md(c.get('topic') or 'no topic')}:"
                   f" {md(c['text'])}")
        out.append(f"  - Their answer: {md(c['answer'])}" if c.get("answer")
                   else "  - Not answered yet.")
    out += ["", "## The network", ""]
    out += [f"- {md(f)}" for f in findings(doc)]
    picture = doc.sociogram.get("ascii")
    if picture:
        out += ["", "The sociogram as the facilitators saw it:", "", "```", picture, "```"]
    out += ["", "## Timeline", ""]
    out += [f"- {md(timeline_line(item))}" for item in doc.timeline]
    out.append("")
    return "\n".join(out)
