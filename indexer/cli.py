"""The ``policy-search`` command line: thin commands over the indexer and search libraries.

Exit statuses (also in README):

\b
  0  success
  1  error: index missing or locked, cannot write, bad file argument
  2  usage error: unknown option, bad query or parameter
  3  index finished, but some files were skipped (listed with reasons)
  130 interrupted (Ctrl-C); the previous index is unchanged
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from search import engine, settings, store
from search.highlight import to_terminal
from search.store import IndexHandle
from search.names import printable
from indexer.reader import HIDDEN_FILE, HIDDEN_FOLDER

EXIT_SKIPPED = 3
EXIT_INTERRUPTED = 130


def index_dir_option(fn):
    """Add ``--index-dir`` (env POLICY_SEARCH_INDEX) to a command."""
    return click.option("--index-dir", type=click.Path(file_okay=False, path_type=Path),
                        default=None, envvar=["POLICY_SEARCH_INDEX", "POLICY_INDEX_DIR"],
                        show_envvar=True,
                        help=f"Index location [default: ./{settings.get('index_dir')}].")(fn)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(fn)


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="policy-search")
def cli():
    """Search Chinese government 法治政府建设 reports.

    \b
    Quick start, on the bundled sample reports:
      policy-search index                    # index data/sample into ./var/index
      policy-search search 证照分离
      policy-search search 行政复议 --province 山西 --year-from 2022
      policy-search serve                    # the web app on http://127.0.0.1:8000
    """
    try:
        settings.load()                    # a bad POLICY_* value stops here, with its name
    except settings.SettingsError as exc:
        raise click.ClickException(str(exc)) from None


# --------------------------------------------------------------------------------------------
# index

@cli.command("index")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@index_dir_option
@click.option("--rebuild", is_flag=True,
              help="Build a fresh index beside the live one and swap it in when done.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Worker processes for reading and segmentation [default: all cores].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@json_option
def index_command(paths, index_dir, rebuild, jobs, quiet, as_json):
    """Index report files (.txt, .html, .htm, .pdf, .docx, .doc, .wps, .rtf) and folders of them.

    Incremental: new files are added, changed ones updated, vanished ones removed, unchanged ones
    skipped without reading. With no PATH, the folders of the last run are indexed again (or
    data/sample the first time). Bad files are reported and skipped; the rest is indexed.

    \b
    Examples:
      policy-search index ~/reports/山西 ~/reports/江苏
      policy-search index --rebuild --jobs 4
    """
    from indexer.build import build_index
    from indexer.parallel import WorkerFailed

    index_dir = settings.index_dir(index_dir)
    paths = list(paths) or default_paths(index_dir)
    for p in paths:
        if not p.exists():
            raise click.ClickException(f"{p}: no such file or folder.")
    try:
        report = build_index(paths, index_dir, rebuild=rebuild, jobs=jobs,
                             progress=None if quiet or as_json else _progress_bar)
    except (store.IndexLocked, store.IndexWriteError, WorkerFailed) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("Interrupted: nothing was published; the previous index is unchanged.",
                   err=True)
        sys.exit(EXIT_INTERRUPTED)
    if as_json:
        _echo_json(report.to_dict())
    elif not quiet:
        click.echo(summary(report, index_dir))
    sys.exit(EXIT_SKIPPED if report.skipped else 0)


def default_paths(index_dir: Path) -> list[Path]:
    """Return the folders the live build was made from, or the sample corpus."""
    try:
        build = store.current_build(index_dir)
    except store.IndexNotFound:
        build = None
    roots = [Path(r) for r in (build.meta.get("roots", []) if build else [])]
    return [r for r in roots if r.exists()] or [settings.data_dir()]


def _progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="Indexing", disable=not sys.stderr.isatty(),
                file=sys.stderr, dynamic_ncols=True)


def summary(report, index_dir: Path) -> str:
    """Return the closing summary of a reindex, one fact per line."""
    lines = []
    if report.full:
        lines.append(f"Full build ({report.full_reason}).")
    lines.append(f"{report.added} added, {report.updated} updated, {report.removed} removed, "
                 f"{report.unchanged} unchanged, {len(report.skipped)} skipped "
                 f"in {report.seconds:.1f} s.")
    for path, reason in report.skipped:
        lines.append(f"  skipped {printable(path)}: {reason}")
    for path, notice in report.notices:
        lines.append(f"  note {printable(path)}: {notice}")
    hidden = {k: n for k, n in report.not_reports.items() if k in (HIDDEN_FILE, HIDDEN_FOLDER)}
    kinds = ", ".join(f"{kind} {n}" for kind, n in report.not_reports.items() if kind not in hidden)
    if kinds:
        lines.append(f"  {kinds}: not report files")
    if hidden:
        files, folders = hidden.get(HIDDEN_FILE, 0), hidden.get(HIDDEN_FOLDER, 0)
        counted = [f"{files} file{'s' * (files != 1)}" if files else "",
                   f"{folders} folder{'s' * (folders != 1)}" if folders else ""]
        lines.append(f"  {' and '.join(c for c in counted if c)} with a name starting with a dot: "
                     "hidden, not read")
    state = "published" if report.published else "unchanged"
    noun = "document" if report.documents == 1 else "documents"
    lines.append(f"Index {index_dir}: {report.documents} {noun} ({state}).")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# inspect

@cli.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--preview", type=click.IntRange(0, 100000), default=300, show_default=True,
              help="Characters of cleaned text to show.")
@json_option
def inspect_command(files, preview, as_json):
    """Show what would be extracted from report FILES, without indexing them.

    \b
    Example:
      policy-search inspect data/sample/003_d26ec326210c9f38.txt
    """
    from indexer.pipeline import inspect_file
    from indexer.reader import UnreadableDocument

    for path in files:              # a missing path is an error (1), as for `index`
        if not path.exists():
            raise click.ClickException(f"{path}: no such file.")
        if path.is_dir():
            raise click.ClickException(f"{path} is a folder; inspect takes files "
                                       "(index takes folders).")
    records, failed = [], False
    for path in files:
        try:
            info = inspect_file(path.resolve())
        except (UnreadableDocument, ValueError, OSError) as exc:
            failed = True
            reason = getattr(exc, "reason", str(exc))
            records.append({"path": printable(str(path)), "error": reason})
            continue
        info["path"] = printable(info["path"])
        text = info.pop("text")
        info["preview"] = text[:preview]
        records.append(info)
    if as_json:
        _echo_json(records)
    else:
        click.echo("\n\n".join(_inspect_text(r) for r in records))
    sys.exit(EXIT_SKIPPED if failed else 0)


_INSPECT_FIELDS = ("title", "display_title", "province", "city", "county", "level", "year",
                   "year_source", "published", "issuer", "script", "encoding", "source_url",
                   "kind")


def _inspect_text(record: dict) -> str:
    if "error" in record:
        return f"{record['path']}\n  error: {record['error']}"
    lines = [record["path"]]
    for name in _INSPECT_FIELDS:
        value = record.get(name)
        code = record.get(f"{name}_code")
        shown = "" if value in (None, "") else f"{value}" + (f" ({code})" if code else "")
        lines.append(f"  {name + ':':14}{shown}")
    reader = record.get("reader") or {}
    read_by = reader.get("extractor", "") + (f", {reader['pages']} pages" if reader.get("pages")
                                             else "") + (" (OCR-read)" if reader.get("ocr") else "")
    lines.append(f"  {'read by:':14}{read_by}")
    for warning in record.get("warnings") or []:
        lines.append(f"  warning:      {warning}")
    lines.append("  preview:      " + record["preview"].replace("\n", " ⏎ "))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# search and stats

def filter_options(fn):
    """Filters shared by the search command (same names as the web app's URL parameters)."""
    options = [
        click.option("--province", "-p", multiple=True, help="山西, 山西省 or 140000 (repeatable)."),
        click.option("--city", multiple=True, help="苏州, 苏州市 or 320500 (repeatable)."),
        click.option("--county", multiple=True, help="忻府区 or 140902 (repeatable)."),
        click.option("--level", multiple=True, type=click.Choice(["province", "city", "county"]),
                     help="Issuing level (repeatable)."),
        click.option("--year", "-y", multiple=True, type=int, help="Year reported on (repeatable)."),
        click.option("--year-from", type=int, help="First year of a range."),
        click.option("--year-to", type=int, help="Last year of a range."),
        click.option("--issuer", multiple=True, help="Exact issuing body, e.g. 苏州市行政审批局."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


class QueryCommand(click.Command):
    """A command whose query may hold ``-word`` (NOT word), as its help says, without ``--``.

    Click would read ``-诉讼`` as unknown short options; an argument that starts with ``-`` and
    is none of the command's options is taken as the query's NOT instead.
    """

    def parse_args(self, ctx, args):
        names = {o for p in self.get_params(ctx) for o in (*p.opts, *p.secondary_opts)}
        out, literal = [], False
        for arg in args:
            literal = literal or arg == "--"
            if (not literal and len(arg) > 1 and arg.startswith("-") and not arg[1:2].isdigit()
                    and arg.split("=", 1)[0] not in names and arg[:2] not in names):
                out += ["NOT", arg[1:]]
            else:
                out.append(arg)
        return super().parse_args(ctx, out)


@cli.command("search", cls=QueryCommand)
@click.argument("query", nargs=-1)
@filter_options
@click.option("--sort", type=click.Choice(list(engine.SORTS)), default="relevance",
              show_default=True, help="Order of hits (the empty query lists newest first).")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=10, show_default=True,
              help="Hits per page.")
@click.option("--page", type=click.IntRange(1, 1000), default=1, show_default=True)
@index_dir_option
@json_option
@click.option("--csv", "as_csv", is_flag=True,
              help="Print the metadata of every matching report as CSV (--limit and --page "
                   "do not apply), as the web app's export does.")
@click.option("--fragments", is_flag=True, help="With --csv: add the highlighted passages.")
@click.option("--copies", type=click.Choice(["reports", "all"]), default="reports",
              show_default=True, help="One hit per report, or every copy (file) as its own hit.")
def search_command(query, province, city, county, level, year, year_from, year_to, issuer,
                   sort, limit, page, index_dir, as_json, as_csv, fragments, copies):
    """Search the index. Words are ANDed; OR/或, NOT/-word, "phrases" and title: work.

    \b
    Examples:
      policy-search search 证照分离
      policy-search search "高效办成一件事" --year 2024
      policy-search search 行政复议 OR 行政诉讼 --province 山西 --year-from 2022
      policy-search search 行政復議 -n 5 --json
      policy-search search title:营商环境 --sort year
      policy-search search 证照分离 --csv > 证照分离.csv
      policy-search search 复议 -诉讼
    """
    if as_csv and as_json:
        raise click.UsageError("--csv and --json cannot be used together.")
    if fragments and not as_csv:
        raise click.UsageError("--fragments only applies with --csv.")
    request = engine.SearchRequest(
        q=" ".join(query), province=province, city=city, county=county, level=level, year=year,
        year_from=year_from, year_to=year_to, issuer=issuer, sort=sort, page=page,
        page_size=limit, copies=copies)
    handle = IndexHandle(settings.index_dir(index_dir))
    try:
        if as_csv:
            from search.csvformat import export_lines

            for line in export_lines(handle, request, None, fragments):
                click.echo(line, nl=False)
            return
        results = engine.search(handle, request)
    except (engine.QueryError, engine.ParameterError) as exc:
        raise click.UsageError(str(exc)) from None
    except store.IndexNotFound as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        _echo_json(results.to_dict())
    else:
        click.echo(format_results(results))


def _title(meta: dict) -> str:
    """The report's title; a derived one is said to be derived, not marked inside the text."""
    from indexer.metadata import DERIVED_MARK

    title = (meta.get("title") or meta.get("display_title") or "").replace(DERIVED_MARK, "")
    return f"{title}  (title derived from issuer and year)" if meta.get("title_derived") else title


def _matches(total: int, q: str) -> str:
    """``No report matches “q”``, ``1 report matches …``, ``5 reports match …``."""
    if not q:
        return {0: "The index holds no report", 1: "1 report in all"}.get(total,
                                                                          f"{total} reports in all")
    if total == 0:
        return f"No report matches “{q}”"
    return f"1 report matches “{q}”" if total == 1 else f"{total} reports match “{q}”"


def format_results(results) -> str:
    """Render search results for a terminal."""
    q = results.request.q.strip()
    lines = [f"{_matches(results.total, q)} ({results.took_ms:.1f} ms)."]
    for warning in results.warnings:
        lines.append(f"warning: {warning}")
    first = (results.page - 1) * results.page_size
    for n, hit in enumerate(results.hits, first + 1):
        m = hit.metadata
        lines.append("")
        lines.append(f"{n}. {_title(m)}")
        where = " · ".join(str(x) for x in (m["province"], m["city"], m["county"],
                                             m["year"] and f"{m['year']}年", m["issuer"]) if x)
        lines.append(f"   {where}  [id {hit.id}]")
        for frag in hit.fragments:
            lines.append("   " + to_terminal(frag["text"], frag["highlights"]).replace("\n", " "))
    if results.pages > 1:
        lines.append("")
        lines.append(f"Page {results.page} of {results.pages} (--page N for more).")
    return "\n".join(lines)


@cli.command("trend")
@click.argument("queries", nargs=-1, required=True)
@click.option("--by", type=click.Choice(["year", "province"]), default="year", show_default=True,
              help="Rows: years (one column per query), or provinces × years for the first query "
                   "(its cities when one --province is given).")
@filter_options
@index_dir_option
@json_option
def trend_command(queries, by, province, city, county, level, year, year_from, year_to, issuer,
                  index_dir, as_json):
    """Count and share of reports matching each QUERY, per year (and per region).

    Each QUERY is one query in the search syntax (quote it when it has spaces). The share is
    the part of that year's reports (under the same filters) that match.

    \b
    Examples:
      policy-search trend 证照分离 一件事 告知承诺制
      policy-search trend 证照分离 --by province --year-from 2020
      policy-search trend "复议 -诉讼" --province 山西 --by province --json
    """
    from search import trends

    request = engine.SearchRequest(province=province, city=city, county=county, level=level,
                                   year=year, year_from=year_from, year_to=year_to,
                                   issuer=issuer)
    handle = IndexHandle(settings.index_dir(index_dir))
    try:
        data = trends.trend(handle, trends.split_queries(list(queries)), request)
    except (engine.QueryError, engine.ParameterError) as exc:
        raise click.UsageError(str(exc)) from None
    except store.IndexNotFound as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        _echo_json(data)
    else:
        click.echo(format_trend(data, by))


def format_trend(data: dict, by: str) -> str:
    """Render a trend as a text table: count (share) per year, or per region and year."""
    def cell(count, share) -> str:
        return f"{count} ({share:.0%})" if share is not None else f"{count} (-)"

    low = data["low_reports"]
    if by == "year":
        head = ["year", "reports"] + data["queries"]
        rows = [[f"{y}" + (" *" if data["low"][i] else ""), str(data["reports"][i])]
                + [cell(s["counts"][i], s["shares"][i]) for s in data["series"]]
                for i, y in enumerate(data["years"])]
        note = f"* fewer than {low} reports that year: read the share with care."
    else:
        region = data["regions"]
        head = [region["level"]] + [str(y) for y in data["years"]] + ["total"]
        rows = [[r["label"]] + [f"{c}/{n}" for c, n in zip(r["counts"], r["reports"])]
                + [str(r["total"])] for r in region["rows"]]
        note = f"Cells: reports matching “{region['query']}” / reports of that region and year."
    widths = [max(_width(row[i]) for row in [head] + rows) for i in range(len(head))]
    lines = ["  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip() for row in [head] + rows]
    return "\n".join(lines + ["", note])


def _width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


@cli.command("evaluate")
@filter_options
@click.option("--kind", type=click.Choice(["government", "department", "政府", "部门"]),
              help="Issuing bodies: people's governments (…政府) or departments.")
@click.option("--rows", "-n", "shown", type=click.IntRange(0), default=30, show_default=True,
              help="Report rows to print (0: all); --json and --csv always have all.")
@index_dir_option
@json_option
@click.option("--csv", "as_csv", is_flag=True, help="Print every table as CSV (as /evaluation.csv).")
def evaluate_command(province, city, county, level, year, year_from, year_to, issuer, kind,
                     shown, index_dir, as_json, as_csv):
    """Publication evaluation: per body and year, on time / late / date unknown and the four
    required parts; summaries by year × level and by province; years missing in the index.

    On time means published by March 31 of the following year; a report with no known date is
    never counted late. A missing year is missing from this index, not proof of no report.

    \b
    Examples:
      policy-search evaluate --year 2023
      policy-search evaluate --province 山西 --year-from 2020 --kind 政府
      policy-search evaluate --level province --csv > 发布评估.csv
    """
    from search import evaluation, evaluation_csv

    if as_csv and as_json:
        raise click.UsageError("--csv and --json cannot be used together.")
    request = engine.SearchRequest(province=province, city=city, county=county, level=level,
                                   year=year, year_from=year_from, year_to=year_to,
                                   issuer=issuer)
    handle = IndexHandle(settings.index_dir(index_dir))
    try:
        data = evaluation.evaluate(handle, request, kind or "")
    except engine.ParameterError as exc:
        raise click.UsageError(str(exc)) from None
    except store.IndexNotFound as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        _echo_json(data)
    elif as_csv:
        for line in evaluation_csv.csv_lines(data):
            click.echo(line, nl=False)
    else:
        click.echo(format_evaluation(data, shown))


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in [head] + rows) for i in range(len(head))]
    return ["  ".join(_pad(v, w) for v, w in zip(row, widths)).rstrip() for row in [head] + rows]


def format_evaluation(data: dict, shown: int = 30) -> str:
    """Render an evaluation for a terminal: summaries, report rows, gaps."""
    from search.evaluation import PARTS

    def share(n, of, value) -> str:
        return f"{n}/{of} ({value:.0%})" if value is not None else f"{n}/{of} (-)"

    if not data["rows"]:
        return "No report to evaluate: none with both an issuing body and a year."
    head = ["bodies", "on time", "late", "unknown", "all parts", "median len"]

    def cells(s) -> list[str]:
        return [str(s["bodies"]), share(s["on_time"], s["dated"], s["on_time_share"]),
                str(s["late"]), str(s["unknown"]),
                share(s["all_parts"], s["bodies"], s["all_parts_share"]), f"{s['median_length']:g}"]
    lines = ["By year and level (on time: of dated reports; all parts: of bodies)", ""]
    lines += _table(["year", "level"] + head,
                    [[str(s["year"]), s["level"]] + cells(s) for s in data["by_year_level"]])
    lines += ["", "By province (bodies counted once per year)", ""]
    lines += _table(["province"] + head, [[s["province_name"] or "unknown"] + cells(s)
                                          for s in data["by_province"]])
    rows = data["rows"] if not shown else data["rows"][:shown]
    status = {"on_time": "on time", "unknown": "date unknown"}
    lines += ["", f"Reports ({len(data['rows'])} bodies × years; parts: "
              + ", ".join(f"{n} {p}" for n, p in enumerate(PARTS, 1)) + ")", ""]
    lines += _table(["issuer", "year", "published", "timeliness", "1234", "id"],
                    [[r["issuer"], str(r["year"]), r["published"] or "-",
                      status.get(r["status"]) or f"late {r['days_late']} d",
                      "".join("✓" if r["parts"][p] else "·" for p in PARTS),
                      r["id"] + (f" (+{r['others']} other)" if r["others"] else "")]
                     for r in rows])
    if len(rows) < len(data["rows"]):
        lines.append(f"… {len(data['rows']) - len(rows)} more rows (--rows 0 for all).")
    gaps = [c for c in data["continuity"] if c["missing"]]
    lines += ["", "Years missing from this index between a body's first and last report"
              " (本库未收录: not in the index, not proof of no report)", ""]
    lines += [f"  {c['issuer']}: {', '.join(map(str, c['missing']))}" for c in gaps] or ["  none"]
    lines += ["", f"({data['took_ms']:.1f} ms)"]
    return "\n".join(lines)


@cli.command("stats")
@index_dir_option
@json_option
def stats_command(index_dir, as_json):
    """Show the index: documents, counts by province and year, size, analyzer fingerprint."""
    handle = IndexHandle(settings.index_dir(index_dir))
    try:
        data = engine.stats(handle)
    except store.IndexNotFound as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        _echo_json(data)
        return
    lines = [f"Index {data['index_dir']} (build {data['build']}, {data['built_at']})",
             f"  documents:   {data['documents']}",
             f"  reports:     {data['reports']} ({data['files']} files, {data['copies']} "
             "of them copies of another)",
             f"  size:        {data['index_bytes'] / 1e6:.1f} MB",
             f"  fingerprint: {data['fingerprint']}"
             + ("  (outdated: run `policy-search index --rebuild`)" if data["outdated"] else "")]
    for facet in data["facets"]:
        values = ", ".join(f"{v['label']} {v['count']}" for v in facet["values"])
        lines.append(f"  {facet['label']}: {values}")
    click.echo("\n".join(lines))


def prepare_process(argv: list[str]) -> None:
    """Set up a console process for its command: a one-off ``search`` maps a frozen copy of
    jieba's word table instead of loading the dictionary (0.65 s; see search.frozen_dict)."""
    if argv[:1] == ["search"]:
        from search import analysis

        analysis.prefer_quick_start()


def main() -> None:
    """Console entry point (without the web command; see web.cli)."""
    prepare_process(sys.argv[1:])
    cli()
