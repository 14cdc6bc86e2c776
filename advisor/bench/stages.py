"""Benchmark stages: each measures one thing of the plan and returns its figures as a dict."""

from __future__ import annotations

import importlib.util
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.bench import builds, inprocess, peers, scale, server
from advisor.index.ann import AnnParams
from advisor.index.embed import SentenceEmbedder, resolve_model
from advisor.index.format import BuildParams
from advisor.index.load import load_index

if TYPE_CHECKING:
    from advisor.bench.run import Context


def _params(ctx: Context) -> BuildParams:
    s = ctx.settings
    return BuildParams(s.model, s.window_tokens, s.window_overlap, s.encoder)


def _threads(ctx: Context) -> int:
    from advisor.runtime import query_threads

    return query_threads(ctx.settings.model_copy(update={"workers": ctx.workers}))


def build_guide(ctx: Context) -> dict[str, Any]:
    ctx.progress("build: the guide")
    embedder = SentenceEmbedder(ctx.settings.model)
    ann = AnnParams(ann_min=ctx.settings.ann_min_windows)
    return builds.timed_build(
        ctx.settings.corpus_dir, ctx.guide_index, embedder, params=_params(ctx), ann=ann
    )


def in_process(ctx: Context) -> dict[str, Any]:
    """Warm `ask` against bare encode, with one query's threads as each server worker has them."""
    from sentence_transformers import SentenceTransformer

    ctx.progress("in process: ask against bare encode")
    threads = _threads(ctx)
    uncached = _advisor(ctx, cache_size=0)
    index = uncached.index
    bare = SentenceTransformer(resolve_model(index.manifest.model), device="cpu")
    texts = [q.text for q in ctx.questions]
    rounds = ctx.plan.rounds
    paired = inprocess.paired_latency(uncached, bare, texts, rounds=rounds)
    size = max(1, ctx.settings.cache_size)
    cached = _advisor(ctx, cache_size=size)
    ctx.progress("in process: cached ask")
    return {
        **paired,
        "threads": threads,
        # as many questions as the cache holds: more would push each out before it is asked again
        "cached_ask": inprocess.cached_latency(cached, texts[:size], rounds=rounds),
        "ask_k3": peers.measure(_ours(uncached), ctx.questions, rounds=rounds),
    }


def _advisor(ctx: Context, *, cache_size: int) -> Any:
    """An advisor over the guide index as a server worker opens it (its encoder, one query's threads);
    torch gets the same threads, for the bare encode it is compared with."""
    import torch

    from advisor.runtime import open_advisor

    torch.set_num_threads(_threads(ctx))
    update = {"cache_size": cache_size, "index_dir": ctx.guide_index, "workers": ctx.workers}
    return open_advisor(ctx.settings.model_copy(update=update))


def _ours(advisor: Any) -> peers.Search:
    return lambda question: [h.section.key for h in advisor.ask(question, k=3).results]


def peer_runs(ctx: Context, *, ours_p50: float) -> dict[str, Any]:
    """txtai and the plain script over the same passages; skipped in --quick."""
    if ctx.plan.quick:
        return {"skipped": "not in --quick"}
    index = load_index(ctx.guide_index)
    model_path = resolve_model(index.manifest.model)
    out: dict[str, Any] = {}
    makers = {"plain sentence-transformers + faiss": peers.plain_faiss, "txtai hybrid": peers.txtai_hybrid}
    for name, make in makers.items():
        if name.startswith("txtai") and importlib.util.find_spec("txtai") is None:
            out[name] = {"skipped": "txtai is not installed (make bench installs the bench extra)"}
            continue
        ctx.progress(f"peers: {name}")
        search, setup = make(index, model_path)
        row = peers.measure(search, ctx.questions, rounds=ctx.plan.rounds)
        out[name] = {**row, "setup_seconds": setup, "p50_vs_ours": row["p50_ms"] / ours_p50}
    return out


def cold_start(ctx: Context) -> dict[str, Any]:
    """Process start to ready, one worker, next to a bare sentence-transformers process; and memory."""
    model_path = resolve_model(ctx.settings.model)
    bare, ours, memory = [], [], {}
    for turn in range(ctx.plan.starts):
        ctx.progress(f"cold start: bare process, then the server ({turn + 1}/{ctx.plan.starts})")
        bare.append(server.bare_start(model_path, [q.text for q in ctx.questions]))
        with _server(ctx, workers=1) as running:
            ours.append(running.ready_seconds)
            server.check_answers(running.base, _paths(ctx))
            memory = server.memory(running, "dense.faiss")
            ready_path = running.ready_path
    bare_seconds = statistics.median(b["seconds"] for b in bare)
    bare_peak = statistics.median(b["peak_rss_bytes"] for b in bare)
    ours_seconds = statistics.median(ours)
    return {
        "bare_seconds": bare_seconds,
        "server_seconds": ours_seconds,
        "ratio": ours_seconds / bare_seconds,
        "ready_path": ready_path,
        "bare_peak_rss_bytes": bare_peak,
        "server_memory": memory,
        "memory_ratio": memory["peak_rss_bytes"][0] / bare_peak,
    }


def _server(ctx: Context, *, workers: int, cache: bool = True) -> Any:
    """`advisor serve` as deployed (insights recorded, in the run's own folder), but with the per-client
    rate limit lifted: every request of the load comes from one address, 127.0.0.1."""
    env = {
        "HF_HUB_OFFLINE": "1",
        "ADVISOR_RATE_LIMIT_PER_SECOND": "1e9",
        "ADVISOR_RATE_LIMIT_BURST": "1000000000",
        "ADVISOR_DATA_DIR": str(ctx.work / "data"),
    }
    if not cache:
        env["ADVISOR_CACHE_SIZE"] = "0"
    return server.running_server(
        log=ctx.work / "server.log",
        index_dir=ctx.guide_index,
        corpus_dir=ctx.settings.corpus_dir,
        port=ctx.port,
        workers=workers,
        env=env,
    )


def _paths(ctx: Context) -> list[str]:
    return server.question_paths([q.text for q in ctx.questions], k=ctx.settings.default_k)


def http(ctx: Context) -> dict[str, Any]:
    """Load over loopback at each concurrency against `advisor serve --workers N`, cache off: by `wrk`
    in the full bench where it is installed, else (and in the quick bench) by a Python client."""
    use_wrk = server.wrk_available() and not ctx.plan.quick
    paths_file = ctx.work / "paths.txt"
    paths_file.write_text("\n".join(_paths(ctx)) + "\n")
    runs = []
    advisor = _advisor(ctx, cache_size=0)
    texts = [q.text for q in ctx.questions]
    with _server(ctx, workers=ctx.workers, cache=False) as running:
        failed = server.check_answers(running.base, _paths(ctx))
        ctx.progress("http: one connection, paired with in-process ask")
        paired = server.paired_http(
            ctx.port, _paths(ctx), advisor.ask, texts, rounds=ctx.plan.rounds, bare=_bare_encode(ctx)
        )
        for connections in ctx.plan.concurrency:
            ctx.progress(f"http: {connections} connection(s) for {ctx.plan.load_seconds:g} s")
            runs.append(
                server.load(
                    running.base,
                    paths_file,
                    connections=connections,
                    seconds=ctx.plan.load_seconds,
                    use_wrk=use_wrk,
                )
            )
        memory = server.memory(running, "dense.faiss")
    return {
        "workers": ctx.workers,
        "cache": "off",
        "client": "wrk" if use_wrk else "python",
        "failed_answers": failed,
        "paired_c1": paired,
        "runs": runs,
        "memory": memory,
    }


def _bare_encode(ctx: Context) -> Any:
    """sentence-transformers on torch encoding one question, nothing else: what the issue compares to."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(resolve_model(ctx.settings.model), device="cpu").encode


def commands(ctx: Context) -> dict[str, Any]:
    """Commands that need no model must answer fast: imports stay lazy."""
    ctx.progress("commands: advisor --help, advisor build --if-stale")
    cli = [sys.executable, "-m", "advisor.cli"]
    repeat = 3 if ctx.plan.quick else 5
    return {
        "advisor --help": server.command_seconds([*cli, "--help"], repeat=repeat),
        "advisor build --if-stale (index current)": server.command_seconds(
            [
                *cli,
                "build",
                "--if-stale",
                "--index",
                str(ctx.guide_index),
                "--corpus",
                str(ctx.settings.corpus_dir),
            ],
            repeat=repeat,
        ),
    }


def build_scifact(ctx: Context, scifact_dir: Path) -> dict[str, Any]:
    if ctx.plan.quick:
        return {"skipped": "not in --quick"}
    if not (scifact_dir / "corpus.jsonl").is_file():
        return {"skipped": f"no SciFact corpus in {scifact_dir}"}
    ctx.progress("build: SciFact, 5,183 abstracts, real embeddings (minutes)")
    embedder = SentenceEmbedder(ctx.settings.model)
    ann = AnnParams(ann_min=ctx.settings.ann_min_windows)
    return builds.timed_beir_build(scifact_dir, ctx.work / "scifact-index", embedder, ann=ann)


def scale_curve(ctx: Context) -> dict[str, Any]:
    from advisor.language.terms import terms

    sources = [ctx.guide_index] + [p for p in [ctx.work / "scifact-index"] if p.exists()]
    vocab = builds.vocabulary(sources)
    real = builds.real_vectors(sources)
    model = scale.VectorModel.fit(real)
    questions = [t for t in (terms(q.text) for q in ctx.questions) if t]
    started = time.perf_counter()
    points = scale.scale_curve(
        list(ctx.plan.sizes),
        vocab,
        model,
        questions,
        ann=AnnParams(ann_min=ctx.plan.ann_min),
        candidates=ctx.settings.candidates,
        progress=ctx.progress,
    )
    return {
        "ann_min_windows": ctx.plan.ann_min,
        "vocabulary_terms": len(vocab.terms),
        "vocabulary_from": [str(p.name) for p in sources],
        "real_vectors": len(real),
        "effective_dimension": model.effective_dimension(),
        "points": points,
        "seconds": time.perf_counter() - started,
    }
