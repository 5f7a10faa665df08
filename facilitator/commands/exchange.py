"""What goes in and out of a session: export, report and import."""

from __future__ import annotations

from pathlib import Path

import click

from facilitator.commands.common import as_option, open_store, plain, reports_errors, session_path

FORMAT_HELP = "csv, gephi, graphml, json, xlsx, md, html"


@click.command()
@session_path
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder for the files (default: export/<session name>/).")
@click.option("--format", "formats", default="csv", show_default=True, metavar="LIST",
              help=f"Comma-separated, any of: {FORMAT_HELP}.")
@click.option("--force", is_flag=True, help="Replace files an earlier export left there.")
@click.option("--no-bom", is_flag=True, help="CSV without the UTF-8 byte-order mark.")
@reports_errors
def export(path: str, out_dir: str | None, formats: str, force: bool, no_bom: bool) -> None:
    """Export the session: CSV for people, Gephi, GraphML, JSON, xlsx, the report.

    Every file is written whole or not at all; existing files need --force.
    CSV cells a spreadsheet would run as formulas are neutralised (import
    reverses that). docs/export.md describes every file and column.

    \b
    Example:
        facilitator export sessions/demo.db --format csv,gephi,graphml,xlsx,html
        facilitator export sessions/demo.db --out results/ --force
    """
    from facilitator.core.exporting import export_session, parse_formats

    chosen = parse_formats(formats)
    with open_store(path, read_only=True) as store:
        done = export_session(store, out_dir or Path("export") / Path(path).stem, chosen,
                              force=force, bom=not no_bom)
    click.echo(plain(done.sentence()))


#: What `facilitator report` imports after counting the log (every format analyses
#: the network); the formats but JSON write through core.exporting too.
REPORT_MODULES = ("facilitator.core.report", "networkx", "numpy")


@click.command()
@session_path
@click.option("--json", "as_json", is_flag=True, help="Machine-readable JSON (stable keys).")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "html"]), default="text",
              show_default=True, help="md or html: write the organisers' report to a file.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, allow_dash=True),
              help="The report file for --format md|html (default: export/<session>/report.<ext>;"
                   " - for standard output).")
@click.option("--force", is_flag=True, help="Replace an existing report file.")
@reports_errors
def report(path: str, as_json: bool, fmt: str, out_file: str | None, force: bool) -> None:
    """A short summary of the session, or the organisers' report (md, html).

    \b
    Example:
        facilitator report sessions/demo.db
        facilitator report sessions/demo.db --format html --out report.html
        facilitator report sessions/demo.db --format md --out - | less
        facilitator report sessions/demo.db --json > report.json
    """
    from facilitator.core.report_counts import count_ahead

    with open_store(path, read_only=True) as store:
        # Every format counts the log and analyses the network: what that needs is
        # imported while SQLite counts.
        count_ahead(store, REPORT_MODULES if as_json
                    else (*REPORT_MODULES, "facilitator.core.exporting"))
        from facilitator.core.report import build_report

        if as_json:
            import json

            data = build_report(store)
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return
        if fmt == "text":
            from facilitator.core.exporting import report_summary

            click.echo(plain(report_summary(store)))
            return
        if out_file == "-":  # to standard output, for a pipe or a redirect
            from facilitator.core.exporting import report_text

            click.echo(report_text(store, fmt), nl=False)
            return
        from facilitator.core.exporting import write_report_file

        target = Path(out_file) if out_file else Path("export") / Path(path).stem / f"report.{fmt}"
        written = write_report_file(store, fmt, target, force=force)
    click.echo(plain(f"Wrote the report to {written}."))


@click.command(name="import")
@session_path
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option("--add-missing", is_flag=True,
              help="Create the rounds and groups the file names that the session lacks.")
@as_option
@reports_errors
def import_(path: str, csv_file: str, add_missing: bool, identity: str | None) -> None:
    """Import interactions from CSV, in one transaction (all or nothing).

    Reads what `facilitator export` writes (interactions.csv) as well as a
    hand-made file: source and target (names or codes; an empty target is the
    whole group), and optionally kind, at (or timestamp), note, round, group,
    logged_by, voided_at, voided_by. A column it does not know is refused.

    \b
    Example:
        facilitator import sessions/demo.db observations.csv
        facilitator import sessions/new.db export/demo/interactions.csv --add-missing
    """
    from facilitator.models.interactions_import import import_interactions, read_interactions_csv

    file = Path(csv_file)
    table = read_interactions_csv(file)
    with open_store(path, identity) as store:
        done = import_interactions(store, table, file.name, add_missing=add_missing)
    click.echo(plain(done.sentence(file.name)))


COMMANDS = [export, report, import_]
