"""Markdown rendering of benchmark results, with each target's status."""

from __future__ import annotations

TARGETS = {
    "e2e_median_s": 1.5, "first_token_s": 0.5, "cold_start_cached_s": 8.0, "llamacpp_ratio": 1.3,
    "indexing_overhead_pct": 10.0, "ann_p50_ms": 10.0, "ann_recall": 0.95, "rss_mb": 1536.0,
}


def _s(summary: dict | None, scale: float = 1.0, unit: str = "s", digits: int = 3) -> str:
    if not summary:
        return "n/a"
    f = lambda x: f"{x * scale:.{digits}f}"  # noqa: E731
    return f"{f(summary['median'])} {unit} [{f(summary['min'])} .. {f(summary['max'])}]"


def _met(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def _machine(m: dict | None) -> str:
    return f"load average {m['loadavg_1_5_15']} on {m['cpus']} CPUs at {m['time_utc']}" if m else ""


def markdown(r: dict) -> str:
    """Human-readable report: one section per part, medians with [min .. max]."""
    lines = [f"# Benchmark ({'quick' if r.get('quick') else 'full'}; {r['repeats']} repetitions)", "",
             f"Before: {_machine(r.get('machine_before'))}. After: {_machine(r.get('machine_after'))}.",
             f"Settings: {r['settings']}", "Figures: median [min .. max].", ""]
    if "indexing" in r:
        ix = r["indexing"]
        lines += ["## Indexing", f"- {ix['documents']} documents, {ix['chunks']} chunks ({_machine(ix['machine'])}); "
                  f"embedder {ix.get('embedder_dtype', 'float32')}, batch {ix.get('embedder_batch_size')}",
                  f"- ours (load, chunk, embed, FAISS, write): {_s(ix['ours_build_s'])} = "
                  f"{ix['ours_chunks_per_s']:.1f} chunks/s",
                  f"- bare SentenceTransformer.encode: {_s(ix['bare_encode_s'])} = {ix['bare_chunks_per_s']:.1f} chunks/s",
                  f"- overhead: {ix['overhead_pct']:+.1f}% (paired ratios {ix['overhead_ratio'].get('min', 0):.3f} .. "
                  f"{ix['overhead_ratio'].get('max', 0):.3f}); load+chunk alone {ix['load_and_chunk_s']:.2f} s; "
                  f"target < {TARGETS['indexing_overhead_pct']}%: {_met(ix['overhead_pct'] < 10)}",
                  f"- our work besides encoding (load, chunk, FAISS, write; encoder answered from memory): "
                  f"{_s(ix.get('ours_without_encode_s'))} = {ix.get('non_encode_overhead_pct', float('nan')):.2f}% "
                  f"of bare encode: {_met(ix.get('non_encode_overhead_pct', 100) < 10)}",
                  f"- hit@5 on {ix['questions_in_sample']} SQuAD questions: {ix['hit_at_5']:.3f}"]
        for name, s in (ix.get("encode_batch_size_s") or {}).items():
            lines.append(f"- encode {name}: {_s(s)}")
        for name, v in (ix.get("encoders") or {}).get("variants", {}).items():
            if "unavailable" in v:
                lines.append(f"- encoder {name}: unavailable ({v['unavailable']})")
            else:
                lines.append(f"- encoder {name}: {_s(v['encode_s'])} = {v['chunks_per_s']:.1f} chunks/s, "
                             f"{v.get('speedup_vs_fp32', float('nan')):.2f}x fp32, dense hit@5 {v['hit_at_5']:.3f}, "
                             f"min cosine to fp32 {v['min_cosine_to_fp32']:.4f}")
        lines.append("")
    if "retrieval" in r:
        rt = r["retrieval"]
        lines += ["## Retrieval (per query)", f"({_machine(rt['machine'])})"]
        for name in ("article", "squad"):
            x = rt[name]
            lines.append(f"- {name} ({x['chunks']} chunks, {x['queries']} queries): ours {_s(x['ours_ms'], unit='ms')}"
                         f", bare encode+search {_s(x['bare_ms'], unit='ms')}, ratio {x['overhead_ratio']['of_medians']:.2f}")
        lines.append(f"- query embedding alone: {_s(rt['query_embedding_ms'], unit='ms')}")
        for syn in rt.get("synthetic", []):
            ivf = syn["ivf"]
            d, best = ivf["default"], ivf["best_at_0.95"]
            lines.append(f"- {syn['n']:,} {syn['kind']} vectors: exact flat {_s(syn['flat_ms'], unit='ms')}; "
                         f"IVF nlist={ivf['nlist']} (build {ivf['build_s'] or 'cached'} s) default nprobe="
                         f"{ivf['default_nprobe']}: p50 {d['latency_ms']['median']:.2f} ms, recall@10 "
                         f"{d['recall_at_10']:.3f}; {_met(d['latency_ms']['median'] <= 10 and d['recall_at_10'] >= .95)}")
            sweep = ", ".join(f"{row['nprobe']}: {row['latency_ms']['median']:.2f} ms/{row['recall_at_10']:.3f}"
                              for row in ivf["sweep"])
            lines.append(f"  - sweep nprobe: p50/recall@10 = {sweep}; fastest at >=0.95: "
                         f"{best['nprobe'] if best else 'none'}")
        lines.append("")
    if "generation" in r:
        g = r["generation"]
        lines += ["## Generation", f"({g['new_tokens']} new tokens; {_machine(g['machine'])})"]
        for tag in [t for t in g if isinstance(g[t], dict) and "overhead_ratio" in g[t]]:
            x = g[tag]
            line = (f"- {tag}: ours/bare time {x['overhead_ratio']['of_medians']:.3f}, first token ours "
                    f"{_s(x['ours_first_token_s'])} (bare {_s(x['bare_first_token_s'])}), forced "
                    f"{x['forced_tokens_per_s']:.1f} tok/s (decode {x['forced_decode_tokens_per_s']:.1f} tok/s)")
            if "llamacpp_speedup" in x:
                sp = x["llamacpp_speedup"]["of_medians"]
                line += f"; llama.cpp is {sp:.2f}x faster: within 1.3x {_met(sp <= 1.3)}"
            lines.append(line)
            if "ours_decode_tokens_per_s" in x:
                line = f"  - our decode loop: {x['ours_decode_tokens_per_s']['of_medians']:.1f} tok/s"
                if "plain_decode_tokens_per_s" in x:
                    line += (f" (without fast_decode {x['plain_decode_tokens_per_s']['of_medians']:.1f} tok/s, "
                             f"same tokens: {x['plain_same_tokens']})")
                if "decode_vs_llamacpp" in x:
                    v = x["decode_vs_llamacpp"]
                    rounds = ", ".join(f"{r:.2f}" for r in v["per_round"])
                    line += (f"; {v['of_medians']:.2f}x bare llama.cpp (rounds {rounds}): "
                             f">= 0.8x {_met(v['of_medians'] >= .8)}")
                lines.append(line)
        if "llamacpp_error" in g:
            lines.append(f"- llama.cpp not measured: {g['llamacpp_error']}")
        for name, s in g["raw_s"].items():
            lines.append(f"  - {name}: {_s(s)}")
        lines.append("")
    if "e2e" in r:
        e = r["e2e"]
        lines += ["## End to end", f"({_machine(e['machine'])})"]
        for name, x in e["gold"].items():
            lat = x["latency_s"]
            lines.append(f"- {name}: {x['questions']} gold questions, latency {_s(lat)}, p95 {lat['p95']:.3f} s; "
                         f"first token {_s(x['first_token_s'])}; gold match {x['gold_match']:.2f}; "
                         f"median <= 1.5 s {_met(lat['median'] <= 1.5)}")
        for name, x in e["cold_start"].items():
            lines.append(f"- cold start {name}: {_s(x['wall_s'])}, peak RSS {_s(x['peak_rss_mb'], unit='MB', digits=0)}")
    return "\n".join(lines)
