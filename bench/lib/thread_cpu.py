"""CPU a process used between two snapshots, by thread group, user and system time apart (clock ticks of
/proc/<pid>/task/*/stat). Usage: thread_cpu.py snapshot PID FILE, then thread_cpu.py diff PID FILE [REQUESTS]."""
import glob
import json
import os
import re
import sys

GROUPS = (("GC", re.compile(r"^(G1|GC|VM Periodic|Conc|ZWorker|ZDriver|Shenandoah)")),
          ("JIT compiler", re.compile(r"Compiler")),
          ("virtual-thread carriers", re.compile(r"^ForkJoinPool")),
          ("pollers", re.compile(r"Poller")),
          ("log writer", re.compile(r"log|Log")))


def snapshot(pid):
    threads = {}
    for stat in glob.glob(f"/proc/{pid}/task/*/stat"):
        try:
            text = open(stat).read()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        threads[os.path.basename(os.path.dirname(stat))] = (name, int(fields[11]), int(fields[12]))
    return threads


def group(name):
    return next((label for label, pattern in GROUPS if pattern.search(name)), "other: " + name)


def diff(before, after, requests):
    hz = os.sysconf("SC_CLK_TCK")
    totals = {}
    for tid, (name, user, system) in after.items():
        _, user0, system0 = before.get(tid, (name, 0, 0))
        label = group(name)
        u, s = totals.get(label, (0, 0))
        totals[label] = (u + user - user0, s + system - system0)
    all_user = sum(u for u, _ in totals.values())
    all_system = sum(s for _, s in totals.values())
    print(f"CPU: user {all_user / hz:.2f} s, system {all_system / hz:.2f} s"
          + (f"; {(all_user + all_system) / hz * 1e6 / requests:.1f} us per request" if requests else ""))
    for label, (u, s) in sorted(totals.items(), key=lambda item: -sum(item[1])):
        if u + s:
            print(f"  {label}: user {u / hz:.2f} s, system {s / hz:.2f} s")


if __name__ == "__main__":
    command, pid, file = sys.argv[1:4]
    if command == "snapshot":
        json.dump(snapshot(pid), open(file, "w"))
    else:
        diff(json.load(open(file)), snapshot(pid), int(sys.argv[4]) if len(sys.argv) > 4 else 0)
