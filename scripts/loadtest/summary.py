#!/usr/bin/env python3
"""One TSV row per simulation run, and the table of them.

Row:   summary.py SIM GATLING_RC START END OUT_DIR PROMETHEUS_URL
Table: summary.py --table SUMMARY_TSV
The Gatling figures come from the run's console log (request table, global percentiles over
all requests and WebSocket checks, the asserted percentiles); held sockets and CPU from the
driver's samples of the server's /metrics and /proc; alerts from Prometheus' ALERTS series
over the run (firing fails the run; pending is shown, since most rules need minutes of 'for').
"""
import json
import os
import re
import sys
import urllib.parse
import urllib.request

COLUMNS = ["simulation", "result", "held ticket/board sockets (max)", "requests+checks ok/ko",
           "join p50/p95/p99 ms", "worst API request p99 ms", "ws checks ok/ko", "alerts fired", "alerts pending",
           "cpu% server/gatling/machine avg", "report"]
WS_CHECKS = ("ticket snapshot", "ticket update", "board snapshot")


def gatling(log_path):
    """Figures from the Gatling console log: the last request table, the global block, the assertions."""
    with open(log_path, errors="replace") as f:
        text = f.read()
    requests, glob_stats, asserted, report = {}, {}, {}, None
    last = text.rfind("---- Requests ---")
    for m in re.finditer(r"^> (.+?)\s+\|\s+([\d,]+) \|\s+([\d,]+) \|\s+([\d,]+)\s*$", text[last:] if last >= 0 else "", re.M):
        requests.setdefault(m.group(1).strip(), (int(m.group(3).replace(",", "")), int(m.group(4).replace(",", ""))))
    for m in re.finditer(r"^> response time (\d+)th percentile \(ms\)\s+\|\s+([\d,]+)", text, re.M):
        glob_stats[m.group(1)] = m.group(2).replace(",", "")
    for m in re.finditer(r"^(.+?): (\d+)th percentile of response time is .*actual : ([\d.]+)\)", text, re.M):
        asserted[(m.group(1), m.group(2))] = str(int(float(m.group(3))))
    m = re.search(r"file://(\S+/index\.html)", text)
    report = m.group(1) if m else None
    return requests, glob_stats, asserted, report


def per_request(report):
    """Per-request rows of the report's statistics table: name -> (total, ok, ko, p50, p95, p99)."""
    rows = {}
    if not report or not os.path.exists(report):
        return rows
    with open(report, errors="replace") as f:
        html = f.read()
    for block in re.findall(r'<tr id="req_.*?</tr>', html, re.S):
        cells = [c.strip() for c in re.sub(r"<[^>]+>", "\n", block).replace("&nbsp;", "").split("\n") if c.strip()]
        nums = [c for c in cells if re.fullmatch(r"[\d.,-]+", c)]
        name = next(c for c in cells if not re.fullmatch(r"[\d.,-]+", c))
        if len(nums) >= 13:
            total, ok, ko, _, _, _, p50, _, p95, p99 = nums[-13:-3]
            rows[name] = tuple(x.replace(",", "") for x in (total, ok, ko, p50, p95, p99))
    return rows


def alerts(prom, start, end):
    if not prom:
        return "not checked", "not checked", False
    q = urllib.parse.urlencode({"query": 'ALERTS{severity=~"critical|warning"}', "start": start,
                                "end": end, "step": "5"})
    with urllib.request.urlopen(f"{prom}/api/v1/query_range?{q}", timeout=10) as r:
        result = json.load(r)["data"]["result"]
    ignored = {a for a in os.environ.get("VQ_LOADTEST_IGNORE_ALERTS", "").split(",") if a}
    names = {(s["metric"]["alertname"], s["metric"]["alertstate"]) for s in result}
    firing = sorted({a for a, state in names if state == "firing"} - ignored)
    pending = sorted({a for a, state in names if state == "pending"} - set(firing) - ignored)
    seen = sorted({a for a, _ in names} & ignored)
    note = f" (ignored: {','.join(seen)})" if seen else ""
    return (",".join(firing) or "none") + note, ",".join(pending) or "none", bool(firing)


def samples(out, sim):
    path = os.path.join(out, f"samples-{sim}.tsv")
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
    rows = [[float(x) for x in r] for r in rows if len(r) == 7]
    if not rows:
        return "?", "?"
    busy = [r for r in rows if r[4] > 0] or rows
    held = f"{int(max(r[1] for r in rows))}/{int(max(r[2] for r in rows))}"
    n = len(busy)
    cpu = (f"{sum(r[3] for r in busy) / n:.0f}/{sum(r[4] for r in busy) / n:.0f}/{sum(r[5] for r in busy) / n:.0f}"
           f" (gatling max {max(r[4] for r in busy):.0f}, load avg max {max(r[6] for r in busy):.1f})")
    return held, cpu


def row(sim, rc, start, end, out, prom):
    requests, glob_stats, asserted, report = gatling(os.path.join(out, f"gatling-{sim}.log"))
    fired, pending, any_fired = alerts(prom, int(start), int(end))
    held, cpu = samples(out, sim)
    total = requests.get("Global")
    table = per_request(report)
    with open(os.path.join(out, f"requests-{sim}.tsv"), "w") as f:
        f.write("request\ttotal\tok\tko\tp50\tp95\tp99\n")
        for name, r in table.items():
            f.write(name + "\t" + "\t".join(r) + "\n")
    api = {n: r for n, r in table.items() if n not in WS_CHECKS and "socket" not in n and n != "hang up"}
    worst = max(api.items(), key=lambda kv: int(kv[1][5]), default=None)
    ws = [v for k, v in requests.items() if k in WS_CHECKS]
    cells = [sim, "", held,
             f"{total[0]}/{total[1]}" if total else "?",
             "/".join(table["join"][3:6]) if "join" in table else "-",
             f"{worst[1][5]} ({worst[0]})" if worst else "?",
             f"{sum(o for o, _ in ws)}/{sum(k for _, k in ws)}" if ws else "-",
             fired, pending, cpu, report or "none"]
    result = "PASS" if int(rc) == 0 and not any_fired and total else "FAIL"
    result += "" if int(rc) == 0 else "(gatling)"
    result += "(alerts)" if any_fired else ""
    cells[1] = result
    print("\t".join(cells))


def table(path):
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for r in rows:
        print()
        for name, cell in zip(COLUMNS, r):
            print(f"  {name:<32} {cell}")
        requests = os.path.join(os.path.dirname(path), f"requests-{r[0]}.tsv")
        if os.path.exists(requests):
            print(f"  {'per request (ms)':<32} " + "total ok ko p50 p95 p99")
            with open(requests) as f:
                for line in list(f)[1:]:
                    name, *nums = line.rstrip("\n").split("\t")
                    print(f"    {name:<30} " + " ".join(nums))


if __name__ == "__main__":
    if sys.argv[1] == "--table":
        table(sys.argv[2])
    else:
        row(*sys.argv[1:7])
