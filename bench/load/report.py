"""Figures of a load run (percentiles per kind, errors, throughput, CPU and memory) and bench/results/load.md."""

import json
import os
import time
from collections import defaultdict
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[1] / "results"
MAX_LISTED_ERRORS = 50


def percentiles(seconds: list[float]) -> dict:
    if not seconds:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(seconds)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 1)

    return {"n": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99),
            "max": round(ordered[-1] * 1000, 1)}


def summarise(plan, window: dict) -> dict:
    """Return the run's figures from its samples and the resource window."""
    by_kind: dict[str, list] = defaultdict(list)
    for sample in plan.samples:
        by_kind[sample.kind].append(sample)
    kinds = {}
    for kind, samples in sorted(by_kind.items()):
        kinds[kind] = {**percentiles([s.seconds for s in samples]),
                       "errors": sum(1 for s in samples if s.error),
                       "mb": round(sum(s.size for s in samples) / 1e6, 1)}
    errors = [{"kind": s.kind, "path": s.path, "status": s.status, "error": s.error, "at_s": round(s.started, 2)}
              for s in plan.samples if s.error]
    in_window = [s for s in plan.samples if s.started + s.seconds <= plan.seconds]
    elapsed = window["elapsed_s"]
    rss = window["rss_kib"] or [0]
    cores = {k: round(window[f"{k}_cpu_s"] / elapsed, 2) for k in ("server", "postgres", "client", "machine")}
    cores["other"] = round(max(cores["machine"] - cores["server"] - cores["postgres"] - cores["client"], 0), 2)
    done = max(len(in_window), 1)
    per_request_ms = {k: round(window[f"{k}_cpu_s"] / done * 1000, 1) for k in ("server", "postgres", "client")}
    return {
        "cpu_ms_per_request": per_request_ms,
        "overall": {**percentiles([s.seconds for s in plan.samples]), "errors": len(errors),
                    "requests_per_s": round(len(in_window) / plan.seconds, 1),
                    "completed_in_window": len(in_window), "drain_s": round(window["drain_s"], 1)},
        "kinds": kinds,
        "errors": errors[:MAX_LISTED_ERRORS],
        "cpu_seconds": {k: round(window[f"{k}_cpu_s"], 1) for k in ("server", "postgres", "client", "machine")}
        | {"client_including_drain": round(window["client_cpu_total_s"], 1)},
        "cores_used": cores,
        "server_rss_mib": {"peak": round(max(rss) / 1024, 1), "end": round(rss[-1] / 1024, 1),
                           "start": round(rss[0] / 1024, 1)},
    }


def capacity(result: dict, cores: int = 2) -> float:
    """Return the requests/s that `cores` dedicated cores would serve at the measured CPU per request."""
    per = result["cpu_ms_per_request"]
    ms = per["server"] + per["postgres"]
    return round(cores * 1000 / ms, 1) if ms else 0.0


def machine() -> str:
    from bench.web.run import machine as describe

    return f"{describe()}, {os.uname().machine}"


def markdown(result: dict) -> str:
    c, o = result["config"], result["overall"]
    cores = result["cores_used"]
    kept = "kept from an earlier run" if result["ledger"].get("kept") else "generated for this run"
    lines = [
        "# bench/load results", "",
        f"Machine: {result['machine']}; shared with other engineers' work (load average at the end "
        f"{result['load_average_at_end']}). Run: {result['date']}.",
        f"Command: `{result['command']}`.", "",
        f"Server: `pledgewatch serve --workers {c['workers']} --threads {c['threads']}` (gunicorn gthread, "
        f"{result['server_processes']} processes) on loopback, {c['backend']}, {result['ledger']['commitments']:,} "
        f"generated commitments (bench/web's generator; ledger {kept}).",
        f"Clients: {c['clients']} concurrent keep-alive connections for {c['seconds']:g} s (bench/load/client.py, "
        f"asyncio, one process), a full CSV export every {c['full_export_every']:g} s (at most one at a time).", "",
        f"**{o['errors']} errors** in {o['n']:,} requests; **{o['requests_per_s']} requests/s** "
        f"({o['completed_in_window']:,} completed inside the {c['seconds']:g} s window; the last requests in flight "
        f"took {o['drain_s']} s more). Overall latency p50 / p95 / p99: {o['p50']} / {o['p95']} / {o['p99']} ms "
        f"(max {o['max']} ms).", "",
        "| kind | requests | errors | p50 ms | p95 ms | p99 ms | max ms | MB |", "|---|---|---|---|---|---|---|---|",
    ]
    for kind, k in result["kinds"].items():
        lines.append(f"| {kind} | {k['n']:,} | {k['errors']} | {k['p50']} | {k['p95']} | {k['p99']} | {k['max']} | "
                     f"{k['mb']} |")
    lines.append(f"| **all** | {o['n']:,} | {o['errors']} | {o['p50']} | {o['p95']} | {o['p99']} | {o['max']} | |")
    cpu = result["cpu_seconds"]
    rss = result["server_rss_mib"]
    lines += [
        "", "CPU during the window (cores used = CPU seconds / window; the machine has "
        f"{os.cpu_count()} cores): server {cpu['server']} s ({cores['server']} cores), PostgreSQL backends "
        f"{cpu['postgres']} s ({cores['postgres']}), load client {cpu['client']} s ({cores['client']}; "
        f"{cpu['client_including_drain']} s with the drain), whole machine {cpu['machine']} s ({cores['machine']}; "
        f"other processes ≈ {cores['other']}).",
        f"CPU per request completed in the window: server {result['cpu_ms_per_request']['server']} ms, PostgreSQL "
        f"{result['cpu_ms_per_request']['postgres']} ms, client {result['cpu_ms_per_request']['client']} ms; so 2 "
        f"dedicated cores would serve about {capacity(result)} requests/s of this mix (server + PostgreSQL CPU only; "
        "a figure that does not depend on what else ran on the machine).",
        f"Server memory (all gunicorn processes, RSS): {rss['start']} MiB at the start of the window, "
        f"{rss['peak']} MiB at peak, {rss['end']} MiB at the end.", "",
        "Warm-up before the window (one request per kind to every worker, seconds for the slowest batch): "
        + ", ".join(f"{k} {v['seconds']} s {v['statuses']}" for k, v in result["warm_up"].items()) + ".", "",
    ]
    if result["errors"]:
        lines += ["## Errors", ""] + [f"- {e['at_s']} s {e['kind']} `{e['path']}`: {e['error']}"
                                     for e in result["errors"]]
    return "\n".join(lines) + "\n"


def stamp(result: dict, command: str) -> dict:
    return {**result, "machine": machine(), "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "command": command}


def write(result: dict, notes: str = "") -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "load.md").write_text(markdown(result) + notes)
