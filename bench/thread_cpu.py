"""CPU time per thread of one JVM, grouped by what the thread does (for bench/predict-profile.sh).

  thread_cpu.py snapshot PID            prints {tid: [name, ticks]} as JSON
  thread_cpu.py diff PID BEFORE.json N  prints each group's CPU seconds and milliseconds per request

Java threads are named from `jcmd PID Thread.print` (its nid is the Linux thread id); a thread the
JVM does not know is a native one, here libtorch's OpenMP helpers.
"""
import json
import os
import re
import subprocess
import sys

TICK = os.sysconf("SC_CLK_TCK")


def java_names(pid):
    out = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True).stdout
    names = {}
    for m in re.finditer(r'^"(.*?)".*?nid=(0x[0-9a-f]+|\d+)', out, re.M):
        nid = m.group(2)
        names[int(nid, 16) if nid.startswith("0x") else int(nid)] = m.group(1)
    return names


def ticks(pid):
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            out[int(tid)] = int(fields[11]) + int(fields[12])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def group(name):
    if name is None:
        return "native threads the JVM did not start (libtorch's OpenMP helpers)"
    if re.match(r"http-nio-.*-exec-", name):
        return "request threads (HTTP, JSON, Dojo's code, forward passes)"
    if name.startswith("http-nio-"):
        return "Tomcat's poller and acceptor"
    if name.startswith(("GC Thread", "G1 ", "VM Thread", "VM Periodic")):
        return "garbage collector and VM"
    if "CompilerThre" in name:
        return "JIT compiler"
    return "other JVM threads"


def snapshot(pid):
    names = java_names(pid)
    return {str(t): [names.get(t), n] for t, n in ticks(pid).items()}


if __name__ == "__main__":
    pid = int(sys.argv[2])
    if sys.argv[1] == "snapshot":
        print(json.dumps(snapshot(pid)))
        sys.exit(0)
    with open(sys.argv[3]) as f:
        before = json.load(f)
    requests = int(sys.argv[4])
    after = snapshot(pid)
    groups = {}
    for tid, (name, n) in after.items():
        spent = n - before.get(tid, [None, 0])[1]
        g = group(name if name is not None else before.get(tid, [None])[0])
        groups[g] = groups.get(g, 0) + spent
    total = sum(groups.values())
    for g, n in sorted(groups.items(), key=lambda kv: -kv[1]):
        if n:
            print(f"  {n / TICK:7.2f} CPU s  {1000 * n / TICK / requests:6.3f} ms/request  {100 * n / total:5.1f}%  {g}")
    print(f"  {total / TICK:7.2f} CPU s  {1000 * total / TICK / requests:6.3f} ms/request  the node in all")
