"""Turns a run's raw numbers (one JSON object per line) into bench/results/<stamp>.md and .png, and prints the
summary table. Targets are the ratios of issue 8."""
import argparse
import json
import os
import platform
import statistics
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

TARGETS = ("direct", "nginx", "multikube")
JAVA_VERSION = '"$JAVA_HOME/bin/java" -version 2>&1 | head -1'


def sh(command):
    try:
        out = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except Exception as e:  # a missing tool is reported, not fatal
        return f"unknown ({e})"


def load(path):
    rows = {}
    for line in open(path):
        if line.strip():
            row = json.loads(line)
            rows.setdefault(row["scenario"], {}).setdefault(row["target"], []).append(row)
    return rows


def one(rows, scenario, target):
    """The path's median round by throughput (the lower one of an even count); the last record of anything else."""
    found = rows.get(scenario, {}).get(target)
    if not found:
        return None
    if all("requests" in r and "duration_us" in r for r in found):
        return sorted(found, key=rps)[(len(found) - 1) // 2]
    return found[-1]


def rps(row):
    return row["requests"] / (row["duration_us"] / 1e6)


def mbps(row):
    return row["bytes"] / (row["duration_us"] / 1e6) / 2**20


def ms(us):
    return us / 1000


def usable(row):
    return row["requests"] > 0 and row["errors"] + row["non2xx"] < row["requests"] / 2


def verdict(ok):
    return "PASS" if ok else "MISS"


class Report:
    def __init__(self, rows):
        self.rows = rows
        self.lines = []
        self.summary = []  # (scenario, measure, value, target, verdict)

    def add(self, text=""):
        self.lines.append(text)

    def check(self, scenario, measure, value, target, ok):
        self.summary.append((scenario, measure, value, target, verdict(ok) if ok is not None else "—"))

    def http_table(self, scenario, title):
        present = [(t, one(self.rows, scenario, t)) for t in TARGETS if one(self.rows, scenario, t)]
        if not present:
            return None
        self.add(f"### {title}\n")
        self.add("| path | requests/s | MiB/s | p50 ms | p90 ms | p99 ms | p99.9 ms | errors/non-2xx | every round, requests/s |")
        self.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for target, r in present:
            rounds = ", ".join(f"{rps(each):,.0f}" for each in self.rows[scenario][target])
            self.add(f"| {target} | {rps(r):,.0f} | {mbps(r):,.1f} | {ms(r['p50_us']):.2f} | {ms(r['p90_us']):.2f} | "
                     f"{ms(r['p99_us']):.2f} | {ms(r['p999_us']):.2f} | {r['errors']}/{r['non2xx']} | {rounds} |")
        failed = [t for t, r in present if not usable(r)]
        if failed:
            self.add(f"Failed (most answers were errors or none came; left out of the ratios): {', '.join(failed)}. "
                     "See the run's logs in `bench/.work/`.\n")
        self.add()
        return {t: r for t, r in present if usable(r)}

    def ratio_table(self, items):
        self.add("| ratio | measured | target | |")
        self.add("| --- | ---: | --- | --- |")
        for scenario, measure, value, target, ok in items:
            shown = f"{value:.2f}" if isinstance(value, float) else str(value)
            self.add(f"| {measure} | {shown} | {target} | {verdict(ok) if ok is not None else '—'} |")
            self.check(scenario, measure, shown, target, ok)
        self.add()

    def small(self):
        t = self.http_table("small", "1. Small GET (1 KiB JSON, static nginx upstream)")
        if not t or "multikube" not in t:
            return
        mk, ng, di = t["multikube"], t.get("nginx"), t.get("direct")
        items = []
        if ng:
            items += [("1 small", "throughput multikube/nginx", rps(mk) / rps(ng), "≥ 1.0", rps(mk) / rps(ng) >= 1.0),
                      ("1 small", "p99 multikube/nginx", mk["p99_us"] / ng["p99_us"], "≤ 1.2",
                       mk["p99_us"] / ng["p99_us"] <= 1.2)]
        if di:
            items += [("1 small", "throughput multikube/direct", rps(mk) / rps(di), "report", None),
                      ("1 small", "p99 multikube/direct", mk["p99_us"] / di["p99_us"], "report", None)]
        self.ratio_table(items)

    def big(self):
        t = self.http_table("big", "2. 100 KiB responses")
        if not t or "multikube" not in t:
            return
        mk, ng, di = t["multikube"], t.get("nginx"), t.get("direct")
        items = []
        if ng:
            items.append(("2 big", "bytes/s multikube/nginx", mbps(mk) / mbps(ng), "≥ 0.9", mbps(mk) / mbps(ng) >= 0.9))
        if di:
            items.append(("2 big", "bytes/s multikube/direct", mbps(mk) / mbps(di), "report", None))
        self.ratio_table(items)

    def watch(self, requested):
        di, mk = one(self.rows, "watch", "direct"), one(self.rows, "watch", "multikube")
        lim = one(self.rows, "watch", "multikube-1gib")
        if not mk:
            return
        self.add(f"### 3. Watches ({requested} concurrent streams, one event per stream every 2 s)\n")
        self.add("| path | opened | failed | open time s | events measured | p50 ms | p90 ms | p99 ms | max ms | "
                 "server RSS MiB | server threads |")
        self.add("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for target, r in (("direct (Go upstream)", di), ("multikube", mk), ("multikube, 1 GiB memory limit", lim)):
            if r:
                self.add(f"| {target} | {r.get('opened', 0)} | {r.get('failed', 0)} | {r.get('open_seconds', 0):.1f} | "
                         f"{r.get('events', 0)} | {r.get('p50_ms', 0):.2f} | {r.get('p90_ms', 0):.2f} | "
                         f"{r.get('p99_ms', 0):.2f} | {r.get('max_ms', 0):.2f} | {r.get('rss_mib', 0):.0f} | "
                         f"{r.get('threads', 0)} |")
        self.add("\nServer RSS and threads: the upstream process for direct, the multikube process for multikube, "
                 "read from `/proc/<pid>/status` while all streams were open. The 1 GiB row is a fresh multikube in a "
                 "memory cgroup of 1 GiB with the image's `-XX:MaxRAMPercentage=75`, as `deploy/` runs it"
                 + (f" (the group's peak, page cache included: {lim.get('peak_mib', 0)} MiB; processes the kernel "
                    f"killed for memory: {lim.get('oom_kills', 0)}; alive at the end: {lim.get('alive')})" if lim else
                    "; not measured in this run (no memory cgroup could be made)") + ".\n")
        windowed = [(t, r) for t, r in (("direct", di), ("multikube", mk)) if r and r.get("windows")]
        if windowed:
            self.add("By when the events arrived (the measurement starts 2 s after the last watch opened; a relay "
                     "still working off the opening's backlog shows in the first windows):\n")
            self.add("| path | window s | events | p50 ms | p99 ms |")
            self.add("| --- | --- | ---: | ---: | ---: |")
            for target, r in windowed:
                for w in r["windows"]:
                    self.add(f"| {target} | {w['from_s']:.0f}–{w.get('to_s', w['from_s'] + 5):.0f} | {w['events']} | "
                             f"{w['p50_ms']:.2f} | {w['p99_ms']:.2f} |")
            self.add("")
        items = [("3 watch", "streams held through multikube", mk.get("opened", 0), f"= {requested} (issue: 10,000)",
                  mk.get("opened", 0) == requested and mk.get("failed", 0) == 0),
                 ("3 watch", "multikube RSS MiB", float(mk.get("rss_mib", 0)), "≤ 1024", mk.get("rss_mib", 0) <= 1024),
                 ("3 watch", "multikube threads", mk.get("threads", 0), "report", None)]
        if di and mk.get("events"):
            over = mk["p99_ms"] - di["p99_ms"]
            items.append(("3 watch", "relay p99 over direct, ms", over, "≤ 5", over <= 5))
        if lim:
            items.append(("3 watch", "streams held in a 1 GiB memory limit", lim.get("opened", 0),
                          f"= {requested}", lim.get("opened", 0) == requested and lim.get("failed", 0) == 0
                          and lim.get("alive", False)))
            if di and lim.get("events"):
                over = lim["p99_ms"] - di["p99_ms"]
                items.append(("3 watch", "relay p99 over direct in a 1 GiB memory limit, ms", over, "≤ 5", over <= 5))
        if di and di.get("late_events") and mk.get("late_events"):
            items.append(("3 watch", "relay p99 over direct, second half of the hold, ms",
                          mk["late_p99_ms"] - di["late_p99_ms"], "report", None))
        self.ratio_table(items)

    def cache(self):
        t = {k: one(self.rows, "cache", k) for k in ("uncached", "cached")}
        b = one(self.rows, "burst", "cached")
        if not t["cached"]:
            return
        self.add("### 4. Cache (`--cache-ttl=30s`), small GET\n")
        self.add("| multikube | requests/s | p50 ms | p99 ms | errors/non-2xx |")
        self.add("| --- | ---: | ---: | ---: | ---: |")
        for name, r in t.items():
            if r:
                self.add(f"| {name} | {rps(r):,.0f} | {ms(r['p50_us']):.2f} | {ms(r['p99_us']):.2f} | "
                         f"{r['errors']}/{r['non2xx']} |")
        self.add()
        items = []
        if t["uncached"]:
            ratio = rps(t["cached"]) / rps(t["uncached"])
            items.append(("4 cache", "cached/uncached throughput", ratio, "≥ 5", ratio >= 5))
        if b:
            self.add(f"Burst: {b['requests']} identical GETs released together (new connection each): {b['ok']} "
                     f"answered 200, {b['cache_hit_headers']} carried `X-Multikube-Cache: hit`; the upstream's access "
                     f"log shows **{b['upstream_requests']}** request(s) for that URL.\n")
            items.append(("4 cache", "upstream requests for 100 identical GETs", b["upstream_requests"], "≤ 2",
                          b["upstream_requests"] <= 2 and b["ok"] == b["requests"]))
        self.ratio_table(items)

    def upgrade(self, mib):
        # The ≥ 0.8 target is judged on the API server path (7b); here a proxy adds a full TLS hop to a bare echo.
        self.echo_table("upgrade", f"5. Upgraded connections ({mib} MiB sent and echoed back, median of 3)", "",
                        "5 upgrade", "byte throughput", "", "report (target: 7b)")

    def echo_table(self, scenario, title, note, label, measure, suffix, target):
        """An echo scenario: MiB/s per path, multikube/direct judged against target, multikube/nginx reported."""
        t = {k: one(self.rows, scenario, k) for k in TARGETS}
        if not t["multikube"]:
            return
        self.add(f"### {title}\n")
        if note:
            self.add(note + "\n")
        self.add("| path | MiB/s (median) | runs |")
        self.add("| --- | ---: | --- |")
        for name, r in t.items():
            if r:
                self.add(f"| {name} | {r['median_mib_s']:.1f} | {', '.join(f'{x:.1f}' for x in r['runs'])} |")
        self.add()
        items = []
        for other in ("direct", "nginx"):
            if not t[other]:
                continue
            ratio = t["multikube"]["median_mib_s"] / t[other]["median_mib_s"]
            if other == "direct":
                verdict = ratio >= float(target.split()[1]) if target.startswith("≥") else None
                items.append((label, f"{measure} multikube/direct{suffix}", ratio, target, verdict))
            else:
                items.append((label, f"{measure} multikube/nginx{suffix}", ratio, "report", None))
        self.ratio_table(items)

    def startup(self):
        starts = self.rows.get("startup", {}).get("multikube", [])
        hs = {k: one(self.rows, "handshake", k) for k in TARGETS}
        if not starts:
            return
        self.add("### 6. Start-up, idle memory, TLS handshakes\n")
        ready = statistics.median(s["ready_ms"] for s in starts)
        rss = statistics.median(s["idle_rss_mib"] for s in starts)
        aot = self.rows.get("startup", {}).get("multikube-aot", [])
        self.add("| start | ready ms (process start → /readyz 200) | idle RSS MiB (5 s after ready) | threads |")
        self.add("| --- | ---: | ---: | ---: |")
        for i, s in enumerate(starts, 1):
            self.add(f"| {i} | {s['ready_ms']:.0f} | {s['idle_rss_mib']:.0f} | {s['threads']} |")
        for i, s in enumerate(aot, 1):
            self.add(f"| {i}, AOT cache | {s['ready_ms']:.0f} | {s['idle_rss_mib']:.0f} | {s['threads']} |")
        unpinned = {kind: self.rows.get("startup", {}).get(kind, []) for kind in ("multikube-2cpu", "multikube-aot-2cpu")}
        for kind, label in (("multikube-2cpu", "both cores"), ("multikube-aot-2cpu", "both cores, AOT cache")):
            for i, s in enumerate(unpinned[kind], 1):
                self.add(f"| {i}, {label} | {s['ready_ms']:.0f} | {s['idle_rss_mib']:.0f} | {s['threads']} |")
        self.add("\n| path | full TLS handshakes/s (new connection each, 8 loops) |")
        self.add("| --- | ---: |")
        for name, r in hs.items():
            if r:
                self.add(f"| {name} | {r['per_second']:,.0f} |")
        self.add()
        items = [("6 start", "start-up to ready, ms (median)", float(ready), "≤ 1000", ready <= 1000),
                 ("6 start", "idle RSS MiB (median)", float(rss), "≤ 200", rss <= 200)]
        if aot:
            aot_ready = statistics.median(s["ready_ms"] for s in aot)
            items.append(("6 start", "start-up to ready with AOT cache, ms (median)", float(aot_ready), "≤ 1000",
                          aot_ready <= 1000))
        for kind, measure in (("multikube-2cpu", "start-up to ready on both cores, ms (median)"),
                              ("multikube-aot-2cpu", "start-up to ready on both cores with AOT cache, ms (median)")):
            if unpinned[kind]:
                median = statistics.median(s["ready_ms"] for s in unpinned[kind])
                items.append(("6 start", measure, float(median), "≤ 1000", median <= 1000))
        if hs["multikube"] and hs["nginx"]:
            items.append(("6 start", "TLS handshakes/s multikube/nginx",
                          hs["multikube"]["per_second"] / hs["nginx"]["per_second"], "report", None))
        self.ratio_table(items)

    def apiserver(self):
        get = self.http_table("api-get", "7. A real kube-apiserver: GET one ConfigMap")
        lst = self.http_table("api-list", "7. A real kube-apiserver: LIST 100 ConfigMaps (~110 KiB)")
        items = []
        for name, t in (("GET", get), ("LIST", lst)):
            if t and "multikube" in t:
                for other in ("nginx", "direct"):
                    if other in t:
                        items.append(("7 apiserver", f"{name} throughput multikube/{other}",
                                      rps(t["multikube"]) / rps(t[other]), "report", None))
                        items.append(("7 apiserver", f"{name} p99 multikube/{other}",
                                      t["multikube"]["p99_us"] / t[other]["p99_us"], "report", None))
        if items:
            self.ratio_table(items)
        self.apiserver_cache()
        self.apiserver_upgrade()

    def apiserver_cache(self):
        t = {k: one(self.rows, "api-cache", k) for k in ("uncached", "cached")}
        if not (t["cached"] and t["uncached"]):
            return
        self.add("### 7a. Cache on the real API server path (`--cache-ttl=30s`), LIST 100 ConfigMaps\n")
        self.add("| multikube | requests/s | MiB/s | p50 ms | p99 ms | errors/non-2xx |")
        self.add("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, r in t.items():
            self.add(f"| {name} | {rps(r):,.0f} | {mbps(r):.1f} | {ms(r['p50_us']):.2f} | {ms(r['p99_us']):.2f} | "
                     f"{r['errors']}/{r['non2xx']} |")
        self.add()
        ratio = rps(t["cached"]) / rps(t["uncached"])
        self.ratio_table([("7a cache", "cached/uncached LIST throughput (API server path)", ratio, "≥ 5", ratio >= 5)])

    def apiserver_upgrade(self):
        r = one(self.rows, "api-upgrade", "multikube")
        if not r:
            return
        self.echo_table("api-upgrade", f"7b. Port-forward through the kube-apiserver ({r['mib']} MiB sent and echoed "
                        "back, median of 3)", "client → [nginx | multikube] → kube-apiserver → kubelet (the Go echo "
                        "upstream registered as the node's kubelet). This is the issue's path for the upgrade target.",
                        "7b upgrade", "port-forward bytes/s", " (API server path)", "≥ 0.8")

    def process(self):
        rows = self.rows.get("process", {})
        if rows:
            self.add("### multikube processes at the end of the run\n")
            self.add("| instance | RSS MiB | peak RSS MiB | threads |")
            self.add("| --- | ---: | ---: | ---: |")
            for name, r in rows.items():
                self.add(f"| {name} | {r[-1]['rss_mib']:.0f} | {r[-1]['hwm_mib']:.0f} | {r[-1]['threads']} |")
            self.add()


def chart(rows, path):
    fig, axes = plt.subplots(2, 3, figsize=(16, 9))
    colors = {"direct": "#888888", "nginx": "#2a9d8f", "multikube": "#e76f51", "uncached": "#e9c46a",
              "cached": "#e76f51"}

    def bars(ax, groups, value, title, ylabel):
        names = [g for g in groups if rows.get(g)]
        targets = [t for t in ("direct", "nginx", "multikube", "uncached", "cached")
                   if any(one(rows, g, t) for g in names)]
        width = 0.8 / max(1, len(targets))
        for i, t in enumerate(targets):
            xs, ys = [], []
            for j, g in enumerate(names):
                r = one(rows, g, t)
                if r:
                    xs.append(j + i * width)
                    ys.append(value(r))
            ax.bar(xs, ys, width, label=t, color=colors[t])
        ax.set_xticks([j + width * (len(targets) - 1) / 2 for j in range(len(names))], names)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=8)

    bars(axes[0][0], ["small", "big", "cache", "api-get", "api-list", "api-cache"], rps, "Throughput", "requests/s")
    bars(axes[0][1], ["small", "big", "cache", "api-get", "api-list", "api-cache"], lambda r: ms(r["p50_us"]),
         "Latency p50", "ms")
    bars(axes[0][2], ["small", "big", "cache", "api-get", "api-list", "api-cache"], lambda r: ms(r["p99_us"]),
         "Latency p99", "ms")
    bars(axes[1][0], ["big", "upgrade", "api-upgrade"], lambda r: r["median_mib_s"] if "median_mib_s" in r else mbps(r),
         "Bytes: 100 KiB GETs, upgraded echo", "MiB/s")
    ax = axes[1][1]
    for i, t in enumerate(("direct", "multikube")):
        r = one(rows, "watch", t)
        if r and r.get("events"):
            ax.bar([k + i * 0.4 for k in range(3)], [r["p50_ms"], r["p90_ms"], r["p99_ms"]], 0.4, label=t,
                   color=colors[t])
    ax.set_xticks([0.2, 1.2, 2.2], ["p50", "p90", "p99"])
    ax.set_title("Watch event relay latency")
    ax.set_ylabel("ms")
    ax.legend(fontsize=8)
    bars(axes[1][2], ["handshake"], lambda r: r["per_second"], "Full TLS handshakes", "per second")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    parser = argparse.ArgumentParser()
    for name in ("raw", "out", "mode", "pin", "upstream-h2", "jit-warm", "rounds", "conns", "duration", "watches", "hold",
                 "upgrade-mib", "jvm-flags"):
        parser.add_argument("--" + name, required=True)
    args = parser.parse_args()
    rows = load(args.raw)
    report = Report(rows)
    stamp = os.path.basename(args.out)
    report.add(f"# multikube benchmark, {stamp} ({args.mode} mode)\n")
    report.add("## Machine and tools\n")
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    report.add(f"- {platform.node()}: {os.cpu_count()} cores ({cpu}), kernel {platform.release()}, "
               f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') // 2**20} MiB memory")
    report.add(f"- load average at the end of the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
               "(other work shares this machine; compare ratios, not absolute numbers)")
    report.add(f"- {sh(JAVA_VERSION)}; multikube with the JVM flags scripts/run uses (`{args.jvm_flags}`), "
               "access log on (its default), no audit log")
    report.add(f"- {sh('nginx -v 2>&1')}, 1 worker each (static upstream, proxy); {sh('wrk -v 2>&1 | head -1')}; "
               f"{sh('go version')} (benchtool); {sh('openssl version')}")
    report.add(f"- pinning: {'load generators on CPU 0, every server (upstreams, nginx, multikube) on CPU 1 (taskset)' if args.pin == '1' else 'none'}")
    report.add(f"- HTTP scenarios: wrk, 1 thread, {args.conns} keep-alive HTTP/1.1 connections over TLS, "
               f"{args.duration} per path after a warm-up of the same path, in {args.rounds} rounds (each runs direct, nginx "
               "and multikube one after another); tables and ratios take each path's median round")
    report.add(f"- static upstream (nginx) offers {'HTTP/2 and HTTP/1.1 (multikube uses HTTP/2)' if args.upstream_h2 == '1' else 'HTTP/1.1 only (multikube uses pooled HTTP/1.1 connections; see the README for the HTTP/2 client stall)'}")
    warmed = ", ".join(f"{name} {r[-1]['seconds']} s" for name, r in rows.get("jit", {}).items())
    report.add(f"- JIT warm-up: before each multikube path is measured it is loaded in 5 s slices until the JVM's "
               f"compiler threads used under 5 % of a CPU in a slice (at least {args.jit_warm}; a new path compiles "
               f"and deoptimizes again){': ' + warmed if warmed else ''}; nginx needs none")
    report.add("")
    report.add("## Results\n")
    report.small()
    report.big()
    report.watch(int(args.watches))
    report.cache()
    report.upgrade(args.upgrade_mib)
    report.startup()
    report.apiserver()
    report.process()
    report.add("## Summary\n")
    report.add("| scenario | measure | value | target | |")
    report.add("| --- | --- | ---: | --- | --- |")
    for s in report.summary:
        report.add("| " + " | ".join(str(x) for x in s) + " |")
    report.add(f"\n![chart]({stamp}.png)\n")
    open(args.out + ".md", "w").write("\n".join(report.lines) + "\n")
    chart(rows, args.out + ".png")
    width = max(len(s[1]) for s in report.summary) if report.summary else 10
    print(f"\nResults: {args.out}.md, chart: {args.out}.png\n")
    print(f"{'scenario':<12} {'measure':<{width}} {'value':>10}  {'target':<28} verdict")
    for scenario, measure, value, target, v in report.summary:
        print(f"{scenario:<12} {measure:<{width}} {value:>10}  {target:<28} {v}")


if __name__ == "__main__":
    main()
