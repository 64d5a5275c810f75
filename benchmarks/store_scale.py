"""How `kg query` on the embedded store grows with the store's size.

Stores of 2k, 20k and 100k entities (three relationships per entity) are
generated through ``EmbeddedStore.write``, the same path `kg ingest` takes,
and kept in a cache directory (``--stores``, default /tmp/kg-store-scale) so
later runs reuse them. Each library query then runs as a whole `kg query`
process, cold (a fresh interpreter each time, start-up and imports included),
``--repeat`` times; the fastest wall time and the largest peak RSS are kept.

The anchored queries ask about a few planted entities whose neighbourhood is
the same in every store (written in the first articles, which every size
shares), so their time should not depend on the rest of the store; the
whole-graph queries (most-connected, shortest-path across the background)
read a whole relation type and may grow with it.

    python benchmarks/store_scale.py                       # 2k, 20k, 100k
    python benchmarks/store_scale.py --sizes 2000,20000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SIZES = (2_000, 20_000, 100_000)
DEFAULT_STORES = Path("/tmp/kg-store-scale")
SEED = 20250314
#: New entities each generated article introduces; relations per article are three times this.
NEW_PER_ARTICLE = 10
#: Earlier entities each article mentions again, so the graph is connected across articles.
REUSED_PER_ARTICLE = 12
BATCH = 250

#: The planted entities (name, type); their relations are written in the first articles only.
PLANTED = (
    ("Raymond Castellano", "PERSON"), ("Margaret Ellison", "PERSON"), ("Victor Halloran", "PERSON"),
    ("Daniel Okafor", "PERSON"), ("Thomas Brandt", "PERSON"), ("Priya Raman", "PERSON"),
    ("Civic Renewal Fund", "ORG"), ("Harbor Workers Union", "ORG"),
)
PLANTED_ARTICLES = 40

#: Target seconds (whole process) and MiB, per query, at the largest size.
ANCHORED = {"entity-profile", "endorsements-of", "donations-to", "critics-of", "relation-evidence"}
WHOLE_GRAPH = {"most-connected", "shortest-path"}
TIME_TARGET = {**dict.fromkeys(ANCHORED, 0.5), **dict.fromkeys(WHOLE_GRAPH, 3.0)}
RSS_TARGET_MIB = 300
GROWTH_TARGET = 1.5

#: Whole-graph readers, measured beside the queries (time and memory reported, no target).
WHOLE_GRAPH_COMMANDS = {
    "analyze": ["analyze", "--format", "json"],
    "export json": ["export", "--format", "json", "-o", "{scratch}/graph.json"],
}

QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("entity-profile", {"name": "Raymond Castellano"}),
    ("endorsements-of", {"name": "Raymond Castellano"}),
    ("donations-to", {"name": "Raymond Castellano"}),
    ("critics-of", {"name": "Thomas Brandt"}),
    ("relation-evidence", {"subject": "Victor Halloran", "object": "Daniel Okafor"}),
    ("most-connected", {"top": "5"}),
    ("shortest-path", {"source": "Priya Raman", "target": "Thomas Brandt"}),
)


def _entity(name: str, type_: str, aliases: tuple[str, ...] = ()):
    from kg.records import Entity

    return Entity(f"{type_.lower()}:{name.lower()}", name, type_, aliases, 1)


def scale_graphs(n_entities: int, seed: int = SEED) -> Iterator:
    """ArticleGraphs introducing ``n_entities`` entities in all, 3 relations per entity.

    The first PLANTED_ARTICLES articles relate the PLANTED entities to each
    other and to the background, identically for every size (the same seed
    draws the same first articles). Later articles introduce
    NEW_PER_ARTICLE entities each and mention REUSED_PER_ARTICLE earlier
    background ones, half of them drawn by degree (so hubs form) and half
    uniformly; the planted entities never come back, so their neighbourhood
    does not grow with the store.
    """
    from kg.records import Article, ArticleGraph, Relation

    rng = random.Random(seed)
    predicates = ("ENDORSES", "DONATED_TO", "CRITICIZED")
    types = ("PERSON", "PERSON", "PERSON", "PERSON", "ORG", "ORG", "ORG", "NORP", "GPE", "PERSON")
    planted = [_entity(name, type_, (name.split()[-1],) if type_ == "PERSON" else ()) for name, type_ in PLANTED]
    background: list = []  # every background entity, in order of introduction
    endpoints: list = []  # background relation ends, one per relation end: draws by degree
    serial = 0
    article_no = 0
    while serial < n_entities:
        article_id = f"scale-{article_no:07d}"
        fresh = []
        for _ in range(min(NEW_PER_ARTICLE, n_entities - serial)):
            type_ = types[serial % len(types)]
            if type_ == "PERSON":
                first = ("Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana")[serial % 8]
                name = f"{first} Scale{serial:07d}"
                entity = _entity(name, type_, (f"Scale{serial:07d}",))
            else:
                entity = _entity(f"Scale {type_.title()} {serial:07d}", type_)
            fresh.append(entity)
            serial += 1
        reused: dict[str, object] = {}
        for i in range(min(REUSED_PER_ARTICLE, len(background))):
            pool = endpoints if (i % 2 == 0 and endpoints) else background
            entity = pool[rng.randrange(len(pool))]
            reused[entity.id] = entity
        cast = fresh + list(reused.values())
        if article_no < PLANTED_ARTICLES:
            cast = planted + cast
        relations = []
        sentence_no = 0

        def relate(subject, obj, predicate: str) -> None:
            nonlocal sentence_no
            amount = amount_value = currency = None
            if predicate == "DONATED_TO":
                amount_value = float(rng.choice((500, 1000, 2500, 10000)))
                amount, currency = f"${amount_value:,.0f}", "USD"
            sentence = f"{subject.name} and {obj.name}: evidence {sentence_no} in {article_id}."
            start = sentence_no * 120
            relations.append(Relation(subject.id, predicate, obj.id, article_id, sentence, start,
                                      start + len(sentence), 0.8, "synthetic", amount, amount_value, currency))
            sentence_no += 1

        if article_no < PLANTED_ARTICLES:
            for i, subject in enumerate(planted):
                obj = planted[(i + 1 + article_no) % len(planted)]
                relate(subject, obj, predicates[(i + article_no) % 3])
                relate(fresh[i % len(fresh)], subject, predicates[(i + article_no + 1) % 3])
        for i in range(3 * len(fresh)):
            subject, obj = rng.sample(fresh + list(reused.values()), 2) if len(cast) > 1 else (cast[0], cast[0])
            if subject in planted or obj in planted:
                continue
            relate(subject, obj, predicates[rng.randrange(3)])
            endpoints.extend((subject, obj))
        background.extend(fresh)
        article = Article(id=article_id, text="synthetic", title=f"Scale report {article_no}",
                          url=f"https://example.org/scale/{article_no}",
                          published=f"20{10 + article_no % 15:02d}-{1 + article_no % 12:02d}-{1 + article_no % 28:02d}",
                          source="scale", origin="synthetic")
        yield ArticleGraph(article, tuple(cast), tuple(relations))
        article_no += 1


def build_store(directory: Path, n_entities: int) -> dict:
    """Write the generated graphs into an embedded store; returns its counts and timing."""
    from kg.store.embedded import EmbeddedStore

    started = time.monotonic()
    directory.mkdir(parents=True, exist_ok=True)
    with EmbeddedStore(directory) as store:
        batch = []
        for graph in scale_graphs(n_entities):
            batch.append(graph)
            if len(batch) == BATCH:
                store.write(batch)
                batch = []
        if batch:
            store.write(batch)
        counts = store.counts()
    return {"seconds": time.monotonic() - started, "counts": counts}


def ensure_store(root: Path, n_entities: int) -> Path:
    """The cached store of this size, built first when missing (or half built)."""
    directory = root / f"entities-{n_entities}"
    done = directory / "built.json"
    if not done.exists():
        if directory.exists():
            for leftover in directory.iterdir():
                leftover.unlink()
        print(f"building the {n_entities:,}-entity store in {directory} ...", file=sys.stderr, flush=True)
        info = build_store(directory, n_entities)
        done.write_text(json.dumps(info) + "\n")
        print(f"  built in {info['seconds']:.0f} s: {info['counts']}", file=sys.stderr, flush=True)
    from kg.store.embedded import EmbeddedStore

    EmbeddedStore(directory).close()  # a store built by an earlier kg is migrated here, not in a timed run
    return directory


#: What the `kg` console script runs (kg.cli:app), without depending on PATH; run with -P, so the
#: working directory does not shadow the kg that PYTHONPATH or the installation gives.
KG_SCRIPT = "import sys; from kg.cli import app; sys.argv[0] = 'kg'; sys.exit(app())"


@dataclass
class Measurement:
    seconds: float  # wall time
    cpu_seconds: float  # user + sys
    rss_mib: float
    rows: int


def run_query_process(store: Path, name: str, params: dict[str, str]) -> Measurement:
    """One cold `kg query` process; rows counted from its JSON."""
    args = ["query", name, "--data-dir", str(store), "--format", "json", "--limit", "0"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    measurement, stdout = run_kg(args)
    measurement.rows = len(json.loads(stdout))
    return measurement


def run_whole_graph_process(store: Path, name: str) -> Measurement:
    """One cold `kg analyze` or `kg export` process (the export to a scratch file)."""
    with tempfile.TemporaryDirectory() as scratch:
        args = WHOLE_GRAPH_COMMANDS[name] + ["--data-dir", str(store)]
        measurement, _ = run_kg([a.replace("{scratch}", scratch) for a in args])
    return measurement


def run_kg(args: list[str]) -> tuple[Measurement, bytes]:
    """Run kg with these arguments as a fresh process: wall and CPU time and
    peak RSS (from wait4's rusage), and what it printed."""
    argv = [sys.executable, "-P", "-c", KG_SCRIPT, *args]
    # an installed kg has its bytecode compiled (see compile_kg); never reach for a Neo4j
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        pid = os.posix_spawn(sys.executable, argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, stdout.fileno(), 1), (os.POSIX_SPAWN_DUP2, stderr.fileno(), 2)])
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
        stdout.seek(0)
        stderr.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"kg {' '.join(args)} failed: {stderr.read().decode()[-2000:]}")
        return Measurement(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, 0), stdout.read()


def compile_kg() -> None:
    """Write kg's bytecode, as installing it does, so that no timed run
    compiles the sources (PYTHONDONTWRITEBYTECODE would make every run do so)."""
    import compileall

    import kg

    compileall.compile_dir(Path(kg.__file__).parent, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated entity counts (default 2000,20000,100000)")
    parser.add_argument("--stores", type=Path, default=DEFAULT_STORES, help="where generated stores are kept")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query and size; the fastest is kept")
    parser.add_argument("--queries", default="", help="comma-separated subset of the queries")
    parser.add_argument("--whole-graph", default="export json",
                        help="comma-separated whole-graph commands to measure too: 'export json' (the default), "
                             "'analyze' (its betweenness and communities take minutes from 20k entities); "
                             "'' for none")
    parser.add_argument("--json-out", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    wanted = [q for q in QUERIES if not args.queries or q[0] in args.queries.split(",")]
    stores = {size: ensure_store(args.stores, size) for size in sizes}
    compile_kg()
    print(f"kg store-scale benchmark: sizes {', '.join(f'{s:,}' for s in sizes)} entities, "
          f"best of {args.repeat}, load average {os.getloadavg()[0]:.2f}")
    for size, directory in stores.items():
        counts = json.loads((directory / "built.json").read_text())["counts"]
        print(f"  {size:>7,} entities: {sum(counts['nodes'].values()) - counts['nodes']['Article']:,} entities, "
              f"{counts['nodes']['Article']:,} articles, "
              f"{sum(v for k, v in counts['relationships'].items() if k != 'MENTIONS'):,} relationships")
    results: dict[str, dict[int, Measurement]] = {}
    for name, params in wanted:
        results[name] = {}
        for size in sizes:
            runs = [run_query_process(stores[size], name, params) for _ in range(args.repeat)]
            results[name][size] = Measurement(min(r.seconds for r in runs), min(r.cpu_seconds for r in runs),
                                              max(r.rss_mib for r in runs), runs[0].rows)
    whole: dict[str, dict[int, Measurement]] = {}
    for name in [n for n in args.whole_graph.split(",") if n]:
        whole[name] = {}
        for size in sizes:
            whole[name][size] = run_whole_graph_process(stores[size], name)  # once: minutes at 100k
    report(results, sizes)
    if whole:
        report_whole_graph(whole, sizes)
    if args.json_out:
        args.json_out.write_text(json.dumps(
            {name: {str(size): vars(m) for size, m in by_size.items()}
             for name, by_size in {**results, **whole}.items()},
            indent=1) + "\n")
    return 0 if all_met(results, sizes) else 1


def _met(name: str, by_size: dict[int, Measurement], sizes: list[int]) -> list[str]:
    """The targets this query misses at the largest size (empty when all are met).

    Times are CPU seconds (user + sys) of the whole process: on a shared
    machine other load stretches wall time but hardly CPU time; with the
    machine to itself a process's wall time is its CPU time plus a little
    waiting for the disk."""
    largest, smallest = by_size[sizes[-1]], by_size[sizes[0]]
    missed = []
    if largest.cpu_seconds > TIME_TARGET[name]:
        missed.append(f"time > {TIME_TARGET[name]} s")
    if name in ANCHORED:
        if largest.rss_mib > RSS_TARGET_MIB:
            missed.append(f"RSS > {RSS_TARGET_MIB} MiB")
        if len(sizes) > 1 and largest.cpu_seconds / smallest.cpu_seconds > GROWTH_TARGET:
            missed.append(f"growth > {GROWTH_TARGET}x")
    return missed


def all_met(results: dict[str, dict[int, Measurement]], sizes: list[int]) -> bool:
    return not any(_met(name, by_size, sizes) for name, by_size in results.items())


def report(results: dict[str, dict[int, Measurement]], sizes: list[int]) -> None:
    """One row per query: per size wall s, CPU s and peak RSS; then the CPU-time growth."""
    head = f"{'query':<18}" + "".join(f"{f'{s // 1000}k wall':>10}{'cpu':>7}{'MiB':>6}" for s in sizes)
    head += f"{'rows':>6}{'growth':>8}  target (cpu s at {sizes[-1] // 1000}k)"
    print()
    print(head)
    print("-" * len(head))
    for name, by_size in results.items():
        line = f"{name:<18}"
        for size in sizes:
            m = by_size[size]
            line += f"{m.seconds:>10.3f}{m.cpu_seconds:>7.3f}{m.rss_mib:>6.0f}"
        growth = by_size[sizes[-1]].cpu_seconds / by_size[sizes[0]].cpu_seconds
        missed = _met(name, by_size, sizes)
        target = f"<= {TIME_TARGET[name]} s" + (f", <= {RSS_TARGET_MIB} MiB, <= {GROWTH_TARGET}x"
                                                  if name in ANCHORED else "")
        verdict = "met" if not missed else "MISSED (" + ", ".join(missed) + ")"
        line += f"{by_size[sizes[-1]].rows:>6}{growth:>7.2f}x  {target}: {verdict}"
        print(line)
    print()
    print("all targets met" if all_met(results, sizes) else "some targets missed")


def report_whole_graph(results: dict[str, dict[int, Measurement]], sizes: list[int]) -> None:
    """Whole-graph readers: they build the networkx graph once, so they grow with the store."""
    head = f"{'whole graph':<18}" + "".join(f"{f'{s // 1000}k wall':>10}{'cpu':>7}{'MiB':>6}" for s in sizes)
    print()
    print(head)
    print("-" * len(head))
    for name, by_size in results.items():
        print(f"{name:<18}" + "".join(f"{by_size[s].seconds:>10.3f}{by_size[s].cpu_seconds:>7.3f}"
                                      f"{by_size[s].rss_mib:>6.0f}" for s in sizes))


if __name__ == "__main__":
    sys.exit(main())
