#!/usr/bin/env python3
"""Small client for the benchmarks: runs jobs through a Dojo service and times predictions.

  service_client.py BASE job SPEC_JSON            -> one JSON line: duration, metrics of the finished job
  service_client.py BASE predict JOB_ID N BATCH   -> one JSON line: latency percentiles / throughput
  service_client.py BASE rss JOB_ID PID           -> one line per finished epoch: RSS of PID in MB (and, under
                                                     -XX:NativeMemoryTracking=summary, the JVM's share of it)
"""
import http.client
import json
import re
import subprocess
import sys
import time
import urllib.parse
from datetime import datetime


def conn(base):
    u = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=900)


def call(c, method, path, body=None):
    data = None if body is None else json.dumps(body)
    c.request(method, path, body=data, headers={"Content-Type": "application/json"})
    r = c.getresponse()
    payload = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {path} -> {r.status}: {payload[:300]}")
    return json.loads(payload)


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def metric(c, job, name):
    out, after = [], 0
    while True:
        page = call(c, "GET", f"/api/jobs/{job}/metrics?name={name}&afterStep={after}&limit=10000")
        out += page["items"]
        if page["nextAfterStep"] is None:
            return out
        after = page["nextAfterStep"]


def job(base, spec):
    c = conn(base)
    j = call(c, "POST", "/api/jobs", json.loads(spec))
    view = call(c, "GET", f"/api/jobs/{j['id']}?waitSeconds=600")
    while view["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
        view = call(c, "GET", f"/api/jobs/{j['id']}?waitSeconds=600")
    ips = [m["value"] for m in metric(c, j["id"], "images_per_second")]
    acc = [m["value"] for m in metric(c, j["id"], "test_accuracy")]
    print(json.dumps({"peer": "dojo-service", "id": j["id"], "status": view["status"],
                      "seconds": round(ts(view["finishedAt"]) - ts(view["startedAt"]), 1),
                      "images_per_second": [round(v) for v in ips], "test_accuracy": [round(a, 4) for a in acc]}))


def predict(base, job_id, n, batch):
    c = conn(base)
    # real digits: the service's own test grid is not needed; a plain 28×28 array of a drawn "1"
    image = [[255 if 12 <= x <= 15 and 4 <= y <= 23 else 0 for x in range(28)] for y in range(28)]
    body = {"instances": [image] * batch}
    for _ in range(20):
        call(c, "POST", f"/api/jobs/{job_id}/predictions", body)
    times = []
    start = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        call(c, "POST", f"/api/jobs/{job_id}/predictions", body)
        times.append((time.perf_counter() - t) * 1000)
    total = time.perf_counter() - start
    times.sort()
    print(json.dumps({"peer": "dojo-predict", "images_per_request": batch, "requests": n,
                      "p50_ms": round(times[len(times) // 2], 2), "p95_ms": round(times[int(len(times) * 0.95)], 2),
                      "images_per_second": round(n * batch / total)}))


def native_memory(pid):
    """The JVM's own committed memory and its Java heap share (MB), when it runs with
    -XX:NativeMemoryTracking=summary; None otherwise. What RSS holds beyond the JVM's committed
    memory is mostly libtorch's own allocations."""
    try:
        out = subprocess.run(["jcmd", str(pid), "VM.native_memory", "summary"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    total = re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", out)
    heap = re.search(r"Java Heap \(reserved=\d+KB, committed=(\d+)KB\)", out)
    if not total or not heap:
        return None
    return {"jvm_committed_mb": round(int(total.group(1)) / 1024), "heap_committed_mb": round(int(heap.group(1)) / 1024)}


def rss(base, job_id, pid):
    c = conn(base)
    seen = 0
    while True:
        view = call(c, "GET", f"/api/jobs/{job_id}")
        done = view["progress"]["epoch"]
        if done > seen:
            with open(f"/proc/{pid}/status") as f:
                kb = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
            row = {"epoch": done, "rss_mb": round(kb / 1024)}
            nmt = native_memory(pid)
            if nmt:
                row.update(nmt)
                row["outside_jvm_mb"] = row["rss_mb"] - nmt["jvm_committed_mb"]
            print(json.dumps(row), flush=True)
            seen = done
        if view["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return
        time.sleep(0.5)


if __name__ == "__main__":
    base, what = sys.argv[1], sys.argv[2]
    if what == "job":
        job(base, sys.argv[3])
    elif what == "predict":
        predict(base, sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif what == "rss":
        rss(base, sys.argv[3], int(sys.argv[4]))
