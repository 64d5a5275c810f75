"""Input formats side by side, in one run: CSV memory as the table grows, WARC ingest against JSONL.

    python benchmarks/formats.py                      # 10,000 / 100,000-row CSV; 400 articles for WARC
    python benchmarks/formats.py --sections warc --warc-articles 1000 --repeat 3

The articles are benchmarks/corpus.py's (fixed seed), written to a temporary
folder under /tmp. Each measurement runs in a fresh subprocess, so its peak
RSS is its own; with --repeat R they run R times, interleaved, and the
fastest of each is kept.

csv   The same corpus as a CSV of --small-rows and of --large-rows articles
      (and as Parquet and JSONL of the large size, for comparison) is read
      through kg.sources.read_articles, every article built and dropped.
      Target: peak RSS of the large CSV within 1.2x of the small one's, so
      the table streams. The peak is taken from the start of the reading
      (Linux VmHWM, reset after the imports, which peak higher), and the
      growth over the resident memory before it is printed too. A control
      run keeps every article of the large CSV, to show what holding the
      table would cost.
warc  --warc-articles articles as HTML pages (headline, byline, date, site
      navigation, related links, footer; a request record before each
      response and an image after every tenth page, as crawls hold them) in
      a gzipped WARC, and the same articles as JSONL, each ingested into an
      empty embedded store (kg.pipeline.ingest; the spaCy model loaded
      before the clock starts). Target: WARC throughput >= 0.9x the JSONL's.
      The HTML extraction cost is measured apart, as the time to read the
      WARC minus the time to read the JSONL (no NLP), per article.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for entry in (str(HERE), str(REPO)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

SECTIONS = ("csv", "warc")
CSV_TARGET = 1.2
WARC_TARGET = 0.9

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {source}</title>
<meta name="author" content="Staff reporter">
<meta property="og:site_name" content="{source}">
<meta property="article:published_time" content="{published}">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a> <a href="/business">Business</a>
<a href="/opinion">Opinion</a> <a href="/subscribe">Subscribe</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff reporter, {published}</p>
{paragraphs}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Harbor budget vote delayed</a></li>
<li><a href="/b">Ferry fares to rise in spring</a></li>
<li><a href="/c">Council names new clerk</a></li></ul></aside></main>
<footer><p>All rights reserved. Contact the newsroom. Terms of use. Privacy.</p></footer>
</body></html>
"""


# --- writing the inputs ------------------------------------------------------------


def write_csv(path: Path, rows: int) -> Path:
    import corpus

    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "title", "published", "source", "url", "text"])
        writer.writeheader()
        writer.writerows(corpus.iter_articles(rows))
    return path


def write_parquet(path: Path, rows: int, batch: int = 5_000) -> Path:
    import pyarrow
    import pyarrow.parquet

    import corpus

    articles = corpus.iter_articles(rows)
    schema = pyarrow.schema([(name, pyarrow.string()) for name in ("id", "title", "published", "source", "url", "text")])
    with pyarrow.parquet.ParquetWriter(path, schema) as out:
        while chunk := [article for _, article in zip(range(batch), articles)]:
            out.write_table(pyarrow.Table.from_pylist(chunk))
    return path


def warc_record(kind: str, uri: str, payload: bytes, content_type: str, number: int) -> bytes:
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{number:012d}>\r\n"
            f"WARC-Date: 2025-04-05T08:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n")
    return gzip.compress(head.encode() + payload + b"\r\n\r\n", compresslevel=6, mtime=0)


def write_warc_and_jsonl(folder: Path, articles: int) -> tuple[Path, Path]:
    """The same articles as a crawl (WARC) and as JSONL."""
    import corpus

    warc, jsonl = folder / "crawl.warc.gz", folder / "articles.jsonl"
    number = 0
    with warc.open("wb") as crawl, jsonl.open("w", encoding="utf-8") as lines:
        for index, article in enumerate(corpus.iter_articles(articles)):
            lines.write(json.dumps(article, ensure_ascii=False) + "\n")
            paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in article["text"].split("\n\n"))
            page = PAGE.format(title=html.escape(article["title"]), source=html.escape(article["source"]),
                               published=article["published"], paragraphs=paragraphs).encode("utf-8")
            uri = article["url"]
            request = f"GET /{index} HTTP/1.1\r\nHost: news.example\r\n\r\n".encode()
            response = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                        f"Content-Length: {len(page)}\r\n\r\n").encode() + page
            for kind, payload, content_type in (("request", request, "application/http; msgtype=request"),
                                                ("response", response, "application/http; msgtype=response")):
                number += 1
                crawl.write(warc_record(kind, uri, payload, content_type, number))
            if index % 10 == 0:
                number += 1
                image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n" + bytes(2048)
                crawl.write(warc_record("response", uri + "/photo.png", image, "application/http; msgtype=response",
                                        number))
    return warc, jsonl


# --- measurements, each in a child process ----------------------------------------------


def child(spec: dict) -> dict:
    """Run one measurement in this (fresh) process and return what it measured."""
    from kg.records import Article, SourceError
    from kg.sources import read_articles

    if spec["kind"] in ("read", "hold"):
        # Importing kg (trafilatura, lxml) peaks above what reading needs: the
        # peak is reset after the imports so that it is the reading's own.
        before = _reset_peak_rss()
        started = time.perf_counter()
        articles = failed = 0
        held = []  # "hold" keeps every article: the control that shows what not streaming costs
        for record in read_articles([spec["path"]]):
            articles += isinstance(record, Article)
            failed += isinstance(record, SourceError)
            if spec["kind"] == "hold":
                held.append(record)
        return {"articles": articles, "failed": failed, "seconds": time.perf_counter() - started,
                "rss_mib": _peak_rss_mib(), "rss_before_mib": before}
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import ingest
    from kg.store.embedded import EmbeddedStore

    nlp, lexicon = load_pipeline(None), load_lexicon(None)
    with EmbeddedStore(Path(spec["store"])) as store:
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        report = ingest(read_articles([spec["path"]]), store=store, nlp=nlp, lexicon=lexicon)
        seconds, cpu_seconds = time.perf_counter() - started, _cpu_seconds() - cpu_started
    return {"articles": report.articles_written, "failed": len(report.failed), "seconds": seconds,
            "cpu_seconds": cpu_seconds, "rss_mib": _peak_rss_mib(), "entities": len(report.entities),
            "relations": dict(report.relations)}


def _cpu_seconds() -> float:
    """User and system CPU time of this process, all threads: other load on the machine barely moves it."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mib() -> float:
    """Peak resident memory of this process since it started or since _reset_peak_rss (Linux VmHWM)."""
    return _proc_status_mib("VmHWM")


def _reset_peak_rss() -> float:
    """Start measuring the peak from now (Linux: "5" to /proc/self/clear_refs); the resident memory now."""
    Path("/proc/self/clear_refs").write_text("5")
    return _proc_status_mib("VmRSS")


def _proc_status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure(spec: dict) -> dict:
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
                            capture_output=True, text=True, cwd=REPO, check=False)
    if result.returncode != 0:
        raise SystemExit(f"measurement {spec} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def best_of(specs: dict[str, dict], repeat: int) -> dict[str, dict]:
    """Each spec measured `repeat` times, interleaved; the fastest run of each kept."""
    best: dict[str, dict] = {}
    for _ in range(repeat):
        for name, spec in specs.items():
            outcome = measure(spec)
            if name not in best or outcome["seconds"] < best[name]["seconds"]:
                best[name] = outcome
    return best


def row(name: str, outcome: dict) -> str:
    rate = outcome["articles"] / outcome["seconds"] if outcome["seconds"] else 0.0
    return (f"{name:<44} {outcome['articles']:>8,} {outcome['failed']:>6} {outcome['seconds']:>9.2f}"
            f" {rate:>10,.1f} {outcome['rss_mib']:>9.1f}")


HEADER = f"{'run':<44} {'articles':>8} {'failed':>6} {'time s':>9} {'art/s':>10} {'RSS MiB':>9}"


def ratio_line(label: str, value: float, target: float, kind: str) -> str:
    met = value <= target if kind == "max" else value >= target
    sign = "<=" if kind == "max" else ">="
    return f"{label:<66} {value:6.3f}  target {sign} {target}  {'met' if met else 'NOT MET'}"


def run_csv(folder: Path, small: int, large: int, repeat: int) -> list[str]:
    paths = {"small": write_csv(folder / f"small-{small}.csv", small),
             "large": write_csv(folder / f"large-{large}.csv", large)}
    paths["parquet-small"] = write_parquet(folder / f"small-{small}.parquet", small)
    paths["parquet"] = write_parquet(folder / f"large-{large}.parquet", large)
    paths["jsonl"] = folder / f"large-{large}.jsonl"
    import corpus

    corpus.write_jsonl(paths["jsonl"], large)
    sizes = {name: path.stat().st_size / 2**20 for name, path in paths.items()}
    specs = {name: {"kind": "read", "path": str(path)} for name, path in paths.items()}
    specs["held"] = {"kind": "hold", "path": str(paths["large"])}
    best = best_of(specs, repeat)
    lines = [HEADER, "-" * len(HEADER)]
    labels = {"small": f"read CSV, {small:,} rows ({sizes['small']:.0f} MiB)",
              "large": f"read CSV, {large:,} rows ({sizes['large']:.0f} MiB)",
              "parquet-small": f"read Parquet, {small:,} rows ({sizes['parquet-small']:.0f} MiB)",
              "parquet": f"read Parquet, {large:,} rows ({sizes['parquet']:.0f} MiB)",
              "jsonl": f"read JSONL, {large:,} lines ({sizes['jsonl']:.0f} MiB)"}
    labels["held"] = f"control: CSV, {large:,} rows, all kept"
    lines += [row(labels[name], best[name]) for name in ("small", "large", "parquet-small", "parquet", "jsonl", "held")]
    memory_ratio = best["large"]["rss_mib"] / best["small"]["rss_mib"]
    lines += ["", ratio_line(f"peak RSS, CSV {large:,} rows / {small:,} rows", memory_ratio, CSV_TARGET, "max")]
    lines += [f"{'  peak above the RSS after imports, ' + name:<66} "
              f"{best[name]['rss_mib'] - best[name]['rss_before_mib']:6.1f} MiB" for name in ("small", "large")]
    lines += [
              f"{'peak RSS, Parquet ' + format(large, ',') + ' rows / ' + format(small, ',') + ' rows':<66} "
              f"{best['parquet']['rss_mib'] / best['parquet-small']['rss_mib']:6.3f}  (information: Arrow's own"
              " buffers, see benchmarks/README.md)",
              f"{'peak RSS, Parquet / CSV, both ' + format(large, ',') + ' rows':<66} "
              f"{best['parquet']['rss_mib'] / best['large']['rss_mib']:6.3f}  (information: pyarrow is imported"
              " as the reading starts)",
              f"{'peak RSS, control (kept) / streamed, both ' + format(large, ',') + ' rows':<66} "
              f"{best['held']['rss_mib'] / best['large']['rss_mib']:6.3f}  (what the measurement would show"
              " if the rows were held)"]
    return lines


def run_warc(folder: Path, articles: int, repeat: int) -> list[str]:
    warc, jsonl = write_warc_and_jsonl(folder, articles)
    specs = {"read-jsonl": {"kind": "read", "path": str(jsonl)}, "read-warc": {"kind": "read", "path": str(warc)}}
    reads = best_of(specs, repeat)
    ingests: dict[str, dict] = {}
    for round_number in range(repeat):
        for name, path in (("ingest-jsonl", jsonl), ("ingest-warc", warc)):
            store = folder / f"store-{name}-{round_number}"
            outcome = measure({"kind": "ingest", "path": str(path), "store": str(store)})
            if name not in ingests or outcome["seconds"] < ingests[name]["seconds"]:
                ingests[name] = outcome
    lines = [HEADER, "-" * len(HEADER),
             row(f"read JSONL ({jsonl.stat().st_size / 2**20:.1f} MiB)", reads["read-jsonl"]),
             row(f"read WARC, HTML extracted ({warc.stat().st_size / 2**20:.1f} MiB)", reads["read-warc"]),
             row("ingest JSONL into the embedded store", ingests["ingest-jsonl"]),
             row("ingest WARC into the embedded store", ingests["ingest-warc"])]
    jsonl_rate = ingests["ingest-jsonl"]["articles"] / ingests["ingest-jsonl"]["seconds"]
    warc_rate = ingests["ingest-warc"]["articles"] / ingests["ingest-warc"]["seconds"]
    extraction = (reads["read-warc"]["seconds"] - reads["read-jsonl"]["seconds"]) / articles
    cpu_ratio = ingests["ingest-jsonl"]["cpu_seconds"] / ingests["ingest-warc"]["cpu_seconds"]
    lines += ["", ratio_line("ingest throughput, WARC / JSONL", warc_rate / jsonl_rate, WARC_TARGET, "min"),
              ratio_line("  the same on CPU time (user+sys of each process)", cpu_ratio, WARC_TARGET, "min"),
              f"{'HTML extraction (read WARC - read JSONL), per article':<66} {extraction * 1000:6.2f} ms",
              f"{'  as a share of JSONL ingest time per article':<66} "
              f"{extraction / (ingests['ingest-jsonl']['seconds'] / articles):6.1%}",
              f"entities JSONL {ingests['ingest-jsonl']['entities']:,} / WARC {ingests['ingest-warc']['entities']:,};"
              f" relations JSONL {ingests['ingest-jsonl']['relations']} / WARC {ingests['ingest-warc']['relations']}"]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"a subset of {','.join(SECTIONS)}")
    parser.add_argument("--small-rows", type=int, default=10_000)
    parser.add_argument("--large-rows", type=int, default=100_000)
    parser.add_argument("--warc-articles", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=1, help="rounds of each measurement, fastest kept")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    sections = [name.strip() for name in args.sections.split(",") if name.strip()]
    print(f"kg input formats benchmark: sections {', '.join(sections)}, repeat {args.repeat}")
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average at start "
          f"{[round(x, 2) for x in os.getloadavg()]}")
    with tempfile.TemporaryDirectory(prefix="kg-formats-bench-") as temp:
        if "csv" in sections:
            print(f"\n== csv: {args.small_rows:,} against {args.large_rows:,} rows, read only")
            print("\n".join(run_csv(Path(temp), args.small_rows, args.large_rows, args.repeat)))
        if "warc" in sections:
            print(f"\n== warc: {args.warc_articles:,} articles as a WARC and as JSONL")
            print("\n".join(run_warc(Path(temp), args.warc_articles, args.repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
