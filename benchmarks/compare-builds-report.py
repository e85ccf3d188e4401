#!/usr/bin/env python3
"""The Markdown report of benchmarks/compare-builds.sh, written to stdout.

Usage: compare-builds-report.py DIR, where DIR is the script's temporary directory: meta.env (key=value lines),
loadavg.txt (epoch and the three load averages every 5 s), load/runs.tsv and load/r<round>-<build>.json (the load
harness's results file), jmh/runs.tsv and jmh/r<round>-<build>-t<threads>.json (JMH's -rf json), profile/<build>.txt.

A metric differs "beyond noise" when every run of one build is better than every run of the other (the two ranges
do not overlap); with R runs each, chance alone does that with probability 2 / C(2R, R) (R = 4: 2.9 %); and when the
medians differ by at least 0.5 % (JMH's gc.alloc.rate.norm of 24.008 against 24.010 B/op separates, and means
nothing).
"""

import json
import math
import os
import statistics
import sys
from datetime import datetime

BUILDS = ("base", "new")


def read_meta(path):
    meta = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            meta.setdefault(key, []).append(value)
    return meta


def one(meta, key, default=""):
    return meta.get(key, [default])[-1]


def tsv(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def number(value):
    """A float, or None for what is not a finite number (JMH writes "NaN" for the error of a single iteration)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def fmt(value, digits=0):
    value = number(value)
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def pct(ratio):
    return "–" if ratio is None else f"{(ratio - 1) * 100:+.1f} %"


def spread(values):
    """(max - min) / median, in percent of the median."""
    values = [v for v in values if v is not None]
    if len(values) < 2 or statistics.median(values) == 0:
        return "–"
    return f"{(max(values) - min(values)) / statistics.median(values) * 100:.1f} %"


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def chance(m, n):
    """How likely m runs of one build and n of the other separate (every run of one beyond every run of the other,
    either way) by chance alone, when both builds are the same."""
    return 2 / math.comb(m + n, m) if m > 0 and n > 0 else 1.0


# Separation counts as "beyond noise" only when chance alone would do it at most this often (4 runs each: 2.9 %).
SIGNIFICANT = 0.05

# A separation that moves the median by less than this is no difference, whatever chance says.
SMALLEST_CHANGE = 0.005


def verdict(base, new, higher_is_better):
    """Whether the two builds' runs separate, and which way."""
    base = [v for v in base if v is not None]
    new = [v for v in new if v is not None]
    if len(base) < 2 or len(new) < 2:
        return "too few runs"
    if min(new) > max(base):
        better = higher_is_better
    elif max(new) < min(base):
        better = not higher_is_better
    else:
        return "within noise"
    change = pct(median(new) / median(base)) if median(base) else "–"
    if median(base) and abs(median(new) / median(base) - 1) < SMALLEST_CHANGE:
        return f"within noise (the runs separate, but the medians differ by {change}: under 0.5 %)"
    word = "better" if better else "worse"
    p = chance(len(base), len(new))
    if p > SIGNIFICANT:
        return f"{word} in every run ({change}), but chance alone does that {p * 100:.0f} % of the time"
    return f"**{word}** ({change}, beyond noise)"


def ratios(base, new):
    """new/base per round (paired by round), as "min – max"."""
    pairs = [n / b for b, n in zip(base, new) if b and n is not None]
    if not pairs:
        return "–"
    return f"{min(pairs):.3f} – {max(pairs):.3f}"


def load_stats(samples, start, end):
    values = [s[1] for s in samples if start <= s[0] <= end]
    if not values:
        return "–"
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


# ---- the load harness ---------------------------------------------------------------------------------------------

LOAD_METRICS = [
    # key, header, digits, higher is better
    ("rps", "req/s", 0, True),
    ("mibps", "MiB/s", 1, True),
    ("p50", "p50 µs", 1, False),
    ("p99", "p99 µs", 1, False),
    ("bytes", "B/req", 0, False),
    ("cpu", "CPU µs/req", 1, False),
]


def harness_row(path, client, threads, shape):
    """The figures of the results file's row for this client, thread count and shape (None when absent)."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        results = json.load(f).get("results", [])
    for r in results:
        if r.get("client") != client or int(r.get("threads", -1)) != threads:
            continue
        if "shape" in r:
            if r["shape"] != shape:
                continue
        elif not (shape == "get1k" and r.get("path") == "/1k"):
            continue
        latency = r.get("latencyMicros", {})
        return {
            "rps": number(r.get("requestsPerSecond")),
            "mibps": number(r.get("mibPerSecond")),
            "p50": number(latency.get("p50")),
            "p99": number(latency.get("p99")),
            "bytes": number(r.get("bytesAllocatedPerRequestAllThreads")),
            "cpu": number(r.get("clientCpuMicrosPerRequest")),
            "errors": r.get("errors", 0),
            "requests": r.get("requests"),
        }
    return None


def load_section(d, meta, samples):
    runs = tsv(os.path.join(d, "load", "runs.tsv"))
    if not runs:
        return []
    client, threads, shape = one(meta, "client"), int(one(meta, "threads")), one(meta, "shape")
    rows = []
    for rnd, pos, build, t0, t1, load1 in runs:
        row = harness_row(os.path.join(d, "load", f"r{rnd}-{build}.json"), client, threads, shape)
        rows.append((int(rnd), int(pos), build, row, float(load1)))
    metrics = [m for m in LOAD_METRICS if any(r[3] and r[3].get(m[0]) is not None for r in rows)]
    rounds = max(r[0] for r in rows)
    out = [f"## RestClient load: `{client}`, {threads} threads, `{shape}` over TLS (nginx)", ""]
    out.append(f"{rounds} rounds; each run is a JVM of its own with this one client, so it measures one build: odd rounds "
               "run base then new, even rounds new then base. Harness options (both builds): "
               f"`{one(meta, 'harness_options')}` (a prewarm, then a warm-up and the timed window). B/req: bytes "
               "allocated by every JVM thread in the window per request; CPU: the client "
               "JVM's CPU time per request. Load: the 1-minute load average when the run started.")
    out.append("")
    header = "| round | run | build | " + " | ".join(m[1] for m in metrics) + " | errors | load |"
    out += [header, "|" + "---:|" * 2 + "---|" + "---:|" * (len(metrics) + 2)]
    for rnd, pos, build, row, load1 in rows:
        cells = [fmt(row.get(m[0]) if row else None, m[2]) for m in metrics]
        errors = fmt(row.get("errors"), 0) if row else "no row for this client in its results"
        out.append(f"| {rnd} | {pos} | {build} | " + " | ".join(cells) + f" | {errors} | {load1:.2f} |")
    per_build = {b: {m[0]: [] for m in metrics} for b in BUILDS}
    paired = {b: {m[0]: {} for m in metrics} for b in BUILDS}
    for rnd, _, build, row, _ in rows:
        for m in metrics:
            value = row.get(m[0]) if row else None
            per_build[build][m[0]].append(value)
            paired[build][m[0]][rnd] = value
    for b in BUILDS:
        out.append(f"| **median** | | **{b}** | " + " | ".join(f"**{fmt(median(per_build[b][m[0]]), m[2])}**"
                                                           for m in metrics) + " | | |")
    out += ["", "| metric | base median | new median | new/base | new/base per round (min – max) | spread base | "
            "spread new | verdict |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for key, title, digits, higher in metrics:
        b, n = per_build["base"][key], per_build["new"][key]
        mb, mn = median(b), median(n)
        ratio = mn / mb if mb and mn is not None else None
        common = sorted(set(paired["base"][key]) & set(paired["new"][key]))
        out.append(f"| {title} | {fmt(mb, digits)} | {fmt(mn, digits)} | "
                   f"{'–' if ratio is None else f'{ratio:.3f}'} | "
                   f"{ratios([paired['base'][key][r] for r in common], [paired['new'][key][r] for r in common])} | "
                   f"{spread(b)} | {spread(n)} | {verdict(b, n, higher)} |")
    out += ["", f"Spread: (max − min) / median of a build's {rounds} runs. \"Beyond noise\": every run of one build "
            f"is better than every run of the other; with {rounds} runs each, chance alone does that with "
            f"probability {chance(rounds, rounds) * 100:.1f} % (a verdict needs at most {SIGNIFICANT * 100:.0f} %: "
            "4 rounds or more).", ""]
    return out


# ---- JMH -------------------------------------------------------------------------------------------------------

def jmh_results(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        text = f.read().strip()
    return json.loads(text) if text else []


def jmh_key(result):
    name = result["benchmark"]
    name = ".".join(name.split(".")[-2:])
    params = ", ".join(f"{k}={v}" for k, v in sorted((result.get("params") or {}).items()))
    return name, params, int(result["threads"])


def alloc_norm(result):
    secondary = result.get("secondaryMetrics", {})
    for key in ("gc.alloc.rate.norm", "·gc.alloc.rate.norm", ":gc.alloc.rate.norm"):
        if key in secondary:
            return secondary[key].get("score")
    return None


def jmh_section(d, meta):
    runs = tsv(os.path.join(d, "jmh", "runs.tsv"))
    if not runs:
        return []
    cells = {}   # (name, params, threads) -> build -> round -> (score, error, unit, B/op)
    loads = {}
    for rnd, pos, build, threads, t0, t1, load1 in runs:
        loads[(int(rnd), build, int(threads))] = float(load1)
        for r in jmh_results(os.path.join(d, "jmh", f"r{rnd}-{build}-t{threads}.json")):
            primary = r["primaryMetric"]
            cells.setdefault(jmh_key(r), {}).setdefault(build, {})[int(rnd)] = (
                number(primary["score"]), number(primary.get("scoreError")), primary.get("scoreUnit", ""),
                number(alloc_norm(r)))
    rounds = max(int(r[0]) for r in runs)
    out = ["## JMH", "",
           f"`{one(meta, 'jmh_regex')}` at {one(meta, 'jmh_threads')} thread(s), `{one(meta, 'jmh_args')}`; one JMH "
           f"run per build, round and thread count, {rounds} round{'s' if rounds > 1 else ''} alternated like the load rounds. Score ± JMH's "
           "99.9 % error of that run's iterations; B/op: `gc.alloc.rate.norm`. Each build's benchmark classes are "
           "compiled against that build.", "",
           "| benchmark | params | threads | round | base | ± | new | ± | unit | base B/op | new B/op |",
           "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    keys = sorted(cells, key=lambda k: (k[0], k[1], k[2]))
    for key in keys:
        for rnd in range(1, rounds + 1):
            b = cells[key].get("base", {}).get(rnd)
            n = cells[key].get("new", {}).get(rnd)
            if not b and not n:
                continue
            unit = (b or n)[2]
            out.append(f"| {key[0]} | {key[1] or '–'} | {key[2]} | {rnd} | {fmt(b[0] if b else None)} | "
                       f"{fmt(b[1] if b else None)} | {fmt(n[0] if n else None)} | {fmt(n[1] if n else None)} | "
                       f"{unit} | {fmt(b[3] if b else None)} | {fmt(n[3] if n else None)} |")
    out += ["", "| benchmark | params | threads | base median | new median | new/base | per round (min – max) | "
            "spread base | spread new | score | base B/op | new B/op | B/op new/base | B/op |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|"]
    for key in keys:
        b = cells[key].get("base", {})
        n = cells[key].get("new", {})
        common = sorted(set(b) & set(n))
        bs = [b[r][0] for r in sorted(b)]
        ns = [n[r][0] for r in sorted(n)]
        ba = [b[r][3] for r in sorted(b)]
        na = [n[r][3] for r in sorted(n)]
        mb, mn, mba, mna = median(bs), median(ns), median(ba), median(na)
        unit = next(iter((b or n).values()))[2]
        higher = not unit.endswith("/op")   # throughput (ops/time) or a time per op
        ratio = f"{mn / mb:.3f}" if mb and mn is not None else "–"
        aratio = f"{mna / mba:.3f}" if mba and mna is not None else "–"
        out.append(f"| {key[0]} | {key[1] or '–'} | {key[2]} | {fmt(mb)} | {fmt(mn)} | {ratio} | "
                   f"{ratios([b[r][0] for r in common], [n[r][0] for r in common])} | {spread(bs)} | {spread(ns)} | "
                   f"{verdict(bs, ns, higher)} | {fmt(mba)} | {fmt(mna)} | {aratio} | {verdict(ba, na, False)} |")
    out += ["", f"Scores in {', '.join(sorted({next(iter((cells[k].get('base') or cells[k].get('new')).values()))[2] for k in keys}))}; "
            "the verdict columns as for the load table (every run of one build beyond every run of the other).", ""]
    return out


# ---- the whole report ------------------------------------------------------------------------------------------

def main():
    d = sys.argv[1]
    meta = read_meta(os.path.join(d, "meta.env"))
    samples = []
    if os.path.exists(os.path.join(d, "loadavg.txt")):
        with open(os.path.join(d, "loadavg.txt"), encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) == 4:
                    samples.append((int(parts[0]), float(parts[1])))
    started, finished = int(one(meta, "started")), int(one(meta, "finished"))
    minutes = lambda key: f"{int(one(meta, key, '0')) / 60:.1f} min"
    date = datetime.fromtimestamp(started).strftime("%Y-%m-%d")
    out = [f"# hotpool: base `{one(meta, 'base_label')}` against new `{one(meta, 'new_label')}`, {date}", ""]
    out.append(f"`{one(meta, 'command')}`: started {datetime.fromtimestamp(started).strftime('%Y-%m-%d %H:%M:%S')}, "
               f"took {(finished - started) / 60:.1f} min (builds {minutes('builds_seconds')}"
               + (f", load rounds {minutes('load_seconds')}" if "load_seconds" in meta else "")
               + (f", JMH {minutes('jmh_seconds')}" if "jmh_seconds" in meta else "") + ").")
    out.append("")
    out.append(f"- base: {one(meta, 'base_what')}, built in a temporary worktree with its own benchmarks module")
    out.append(f"- new: {one(meta, 'new_what')}")
    files = one(meta, "diff_files").split()
    out.append(f"- from base to new in `src/main` (the benchmarks module aside): {one(meta, 'diff') or 'no change'}"
               + (": " + ", ".join(f"`{f}`" for f in files[:15]) + (", …" if len(files) > 15 else "") if files else ""))
    out.append(f"- Java: {one(meta, 'java')}" + (f"; {one(meta, 'nginx')}, worker_processes 1, on the same cores"
                                                 if "nginx" in meta else ""))
    load_line = (f"- Load average (1 min) on {one(meta, 'cpus')} CPUs, sampled every 5 s: {one(meta, 'load_at_start')} "
                 f"(1, 5, 15 min) at the start; min / median / max over the whole run "
                 f"{load_stats(samples, started, finished)}")
    if "load_started" in meta:
        end = int(one(meta, "load_started")) + int(one(meta, "load_seconds", "0"))
        load_line += f", during the load rounds {load_stats(samples, int(one(meta, 'load_started')), end)}"
    if "jmh_started" in meta:
        end = int(one(meta, "jmh_started")) + int(one(meta, "jmh_seconds", "0"))
        load_line += f", during JMH {load_stats(samples, int(one(meta, 'jmh_started')), end)}"
    out.append(load_line)
    for note in meta.get("fallback", []):
        out.append(f"- Fallback: {note}")
    out.append("")
    out += load_section(d, meta, samples)
    out += jmh_section(d, meta)
    for build in BUILDS:
        path = os.path.join(d, "profile", f"{build}.txt")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                out += [f"## JFR profile of {build} (20 s window, load threads)", "", "```", f.read().rstrip(), "```", ""]
    print("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()
