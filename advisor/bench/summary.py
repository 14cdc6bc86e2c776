"""Benchmark summary: the targets checked against a run's figures, and the Markdown people read."""

from __future__ import annotations

from typing import Any

from advisor.bench.report import Target, at_least, at_most, target_table

MB = 2**20


def _get(data: dict[str, Any], *path: str | int) -> Any:
    """data[path...], or None where a stage was skipped."""
    node: Any = data
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _run(data: dict[str, Any], connections: int) -> dict[str, Any] | None:
    for run in _get(data, "http", "runs") or []:
        if run["connections"] == connections:
            return dict(run)
    return None


def _largest(data: dict[str, Any]) -> dict[str, Any]:
    points = _get(data, "scale", "points") or []
    return max(points, key=lambda p: p["passages"]) if points else {}


def targets(data: dict[str, Any]) -> list[Target]:
    one, eight = _run(data, 1), _run(data, 8)
    errors = [r["errors"] for r in _get(data, "http", "runs") or []]
    big = _largest(data)
    size = f"{big['passages']:,} passages" if big else "the largest size (scale curve not run)"
    http_failed = _get(data, "http", "failed_answers")
    return [
        at_most("warm ask p50 / bare encode p50", _get(data, "in_process", "ratio_p50"), 1.1, "×"),
        at_most("cached ask p50", _get(data, "in_process", "cached_ask", "p50_ms"), 1.0, "ms"),
        at_most(
            "HTTP p50 at c=1 minus in-process ask p50 (paired)",
            _get(data, "http", "paired_c1", "added_p50_ms"),
            2.0,
            "ms",
        ),
        at_least(
            "HTTP throughput c=8 / c=1",
            eight["throughput_rps"] / one["throughput_rps"] if one and eight and one["requests"] else None,
            1.7,
            "×",
        ),
        at_most(
            "HTTP errors (all runs, and non-200 answers)",
            sum(errors) + (http_failed or 0) if errors else None,
            0,
            "",
        ),
        at_most("cold start to ready / bare process", _get(data, "cold_start", "ratio"), 1.3, "×"),
        at_most("`advisor --help`", _get(data, "commands", "advisor --help"), 0.5, "s"),
        at_most(
            "`advisor build --if-stale` (current)",
            _get(data, "commands", "advisor build --if-stale (index current)"),
            0.5,
            "s",
        ),
        at_most("serving peak RSS / bare process", _get(data, "cold_start", "memory_ratio"), 1.2, "×"),
        *_issue_20(data, eight),
        at_least(
            "dense index memory-mapped in every worker (1 = yes)",
            _flag(_get(data, "http", "memory", "dense_index_mapped")),
            1,
            "",
        ),
        at_most(f"dense search p50 at {size}", _get(big, "dense", "p50_ms"), 2.0, "ms"),
        at_least(f"dense recall@10 at {size}", big.get("recall_at_10"), 0.95, ""),
        at_most(f"BM25 search p50 at {size}", _get(big, "bm25", "p50_ms"), 20.0, "ms"),
    ]


def _issue_20(data: dict[str, Any], eight: dict[str, Any] | None) -> list[Target]:
    """The targets of serving without torch (issue 20): against the bare torch encode, and absolute."""
    peaks = _get(data, "http", "memory", "peak_rss_bytes")
    workers = _get(data, "http", "workers")
    return [
        at_most(
            "uncached HTTP ask p50 at c=1 / bare sentence-transformers encode p50 (paired)",
            _get(data, "http", "paired_c1", "http_vs_bare_encode_p50"),
            0.6,
            "×",
        ),
        at_most("cold start to /readyz 200", _get(data, "cold_start", "server_seconds"), 2.0, "s"),
        at_most("peak RSS per worker (largest)", max(peaks) / MB if peaks else None, 300, "MiB"),
        at_least(
            f"HTTP throughput c=8, {workers} workers (2× the 127 req/s of torch)",
            eight["throughput_rps"] if eight else None,
            254,
            "req/s",
        ),
    ]


def _flag(value: bool | None) -> float | None:
    return None if value is None else float(value)


def summary(data: dict[str, Any], checks: list[Target], plot: str | None) -> str:
    m = data["machine"]
    lines = [
        f"# Benchmark {'(quick) ' if data['quick'] else ''}— {m['cpu_model']}",
        "",
        f"Command: `{data['command']}` · encoder {data['settings'].get('encoder', 'torch')} · "
        f"{m['cores']} cores · {m['ram_gb']} GB RAM · Python {m['python']} · "
        f"load average {m['load_average'][0]:.1f} at start, {m['load_average_end'][0]:.1f} at end · "
        f"{data['seconds']:.0f} s in all.",
        "",
        "The machine is shared: other processes ran on the same cores during this run, so every figure is "
        "measured as a ratio within the run where it can be. Questions: "
        f"{data['questions']['count']} from {data['questions']['source']}.",
        "",
        target_table(checks),
        "",
    ]
    lines += _details(data)
    if plot:
        lines += ["", f"![scale curve]({plot})"]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items())
    lines += ["", f"Versions: {versions}.", ""]
    return "\n".join(lines)


def _details(data: dict[str, Any]) -> list[str]:
    out = ["## Figures", ""]
    ip = data["in_process"]
    out.append(
        f"- In process ({ip['threads']} thread(s) per query): ask p50 {ip['ask']['p50_ms']:.2f} ms, "
        f"p95 {ip['ask']['p95_ms']:.2f}, p99 {ip['ask']['p99_ms']:.2f}; bare encode p50 "
        f"{ip['bare_encode']['p50_ms']:.2f} ms; median overhead {ip['median_overhead_ms']:.3f} ms; "
        f"cached ask p50 {ip['cached_ask']['p50_ms'] * 1000:.0f} µs."
    )
    paired = _get(data, "http", "paired_c1")
    if paired:
        out.append(
            f"- HTTP, one keep-alive connection, each request paired with an in-process ask: p50 "
            f"{paired['http']['p50_ms']:.2f} ms against {paired['in_process']['p50_ms']:.2f} ms "
            f"(p99 {paired['http']['p99_ms']:.2f} against {paired['in_process']['p99_ms']:.2f})"
            + (
                f"; the bare sentence-transformers encode of the same question p50 "
                f"{paired['bare_encode']['p50_ms']:.2f} ms."
                if "bare_encode" in paired
                else "."
            )
        )
    for run in _get(data, "http", "runs") or []:
        out.append(
            f"- HTTP c={run['connections']} ({run.get('client', 'wrk')} client): p50 {run['p50_ms']:.2f} ms, "
            f"p99 {run['p99_ms']:.2f} ms, "
            f"{run['throughput_rps']:.0f} req/s, {run['errors']} errors ({run['requests']} requests)."
        )
    if "skipped" in data.get("http", {}):
        out.append(f"- HTTP: skipped, {data['http']['skipped']}.")
    out += _memory_lines(data) + _peer_lines(data) + _build_lines(data) + _scale_lines(data)
    return out


def _memory_lines(data: dict[str, Any]) -> list[str]:
    cs = data["cold_start"]
    peak = cs["server_memory"]["peak_rss_bytes"][0]
    out = [
        f"- Cold start: server ready ({cs['ready_path']}) in {cs['server_seconds']:.2f} s, bare "
        f"process {cs['bare_seconds']:.2f} s; peak RSS {peak / MB:.0f} MiB "
        f"against {cs['bare_peak_rss_bytes'] / MB:.0f} MiB."
    ]
    mem = _get(data, "http", "memory")
    if mem:
        peaks = ", ".join(f"{b / MB:.0f}" for b in mem["peak_rss_bytes"])
        pss = ", ".join(f"{b / MB:.0f}" for b in mem["pss_bytes"])
        out.append(
            f"- {mem['processes']} workers: peak RSS {peaks} MiB, PSS {pss} MiB; dense index "
            f"memory-mapped: {mem['dense_index_mapped']}."
        )
    return out


def _peer_lines(data: dict[str, Any]) -> list[str]:
    peers = data.get("peers", {})
    if "skipped" in peers:
        return [f"- Peers: skipped, {peers['skipped']}."]
    ours = data["in_process"]["ask_k3"]
    rows = [
        f"- Peers (k=3, same questions and model): ours p50 {ours['p50_ms']:.2f} ms, hit@3 "
        f"{_hit(ours['hit_at_3'])}."
    ]
    for name, row in peers.items():
        if "skipped" in row:
            rows.append(f"  - {name}: skipped, {row['skipped']}.")
        else:
            rows.append(
                f"  - {name}: p50 {row['p50_ms']:.2f} ms ({row['p50_vs_ours']:.2f}× ours), "
                f"hit@3 {_hit(row['hit_at_3'])}, set-up {row['setup_seconds']:.1f} s."
            )
    return rows


def _hit(value: float | None) -> str:
    return "n/a (no labelled questions)" if value is None else f"{value:.3f}"


def _build_lines(data: dict[str, Any]) -> list[str]:
    out = []
    for name, row in data["build"].items():
        if "skipped" in row:
            out.append(f"- Build {name}: skipped, {row['skipped']}.")
        else:
            out.append(
                f"- Build {name}: {row['seconds']:.1f} s, {row['passages']:,} passages, "
                f"{row['windows']:,} windows, {row['bytes'] / MB:.1f} MiB on disk."
            )
    return out


def _scale_lines(data: dict[str, Any]) -> list[str]:
    points = _get(data, "scale", "points") or []
    if not points:
        return []
    out = [
        "",
        f"### Scale (IVF from {data['scale']['ann_min_windows']:,} windows)",
        "",
        f"Vectors drawn from a Gaussian fitted to {data['scale'].get('real_vectors', 0):,} real embeddings "
        f"(effective dimension {data['scale'].get('effective_dimension', 0):.0f}); times are the second "
        "of two passes over the queries, the first (reading the memory-mapped files) in brackets.",
        "",
        "| passages | dense | build s | dense p50/p99 ms | flat p50 ms | recall@10 | BM25 build s | "
        "BM25 p50/p99 ms | disk MiB | serving RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in points:
        out.append(
            f"| {p['passages']:,} | {p['dense_kind']} | {p['dense_build_seconds']:.1f} | "
            f"{p['dense']['p50_ms']:.3f} / {p['dense']['p99_ms']:.3f} "
            f"({_first(p, 'dense')}) | {p['flat']['p50_ms']:.2f} | "
            f"{p['recall_at_10']:.3f} | {p['bm25_build_seconds']:.1f} | "
            f"{p['bm25']['p50_ms']:.2f} / {p['bm25']['p99_ms']:.2f} ({_first(p, 'bm25')}) | "
            f"{(p['dense_bytes'] + p['bm25_bytes']) / MB:.0f} | {p['serving_rss_bytes'] / MB:.0f} |"
        )
    for p in points:
        if p.get("probe_sweep"):
            sweep = ", ".join(
                f"1/{s['share']} ({s['nprobe']}): {s['p50_ms']:.2f} ms, {s['recall']:.3f}"
                for s in p["probe_sweep"]
            )
            out += ["", f"Lists probed at {p['passages']:,} passages, p50 and recall@10: {sweep}."]
    return out


def _first(point: dict[str, Any], name: str) -> str:
    first = point.get(f"{name}_first_pass")
    return f"{first['p50_ms']:.2f} / {first['p99_ms']:.2f}" if first else "-"
