#!/usr/bin/env python3
"""Runs the README's sweeps (the JSON blocks of its "Experiments" section) one after another
through a Dojo service, and prints each trial: its parameters, status, objective, whether a rule
stopped it, and how long its job ran.

  sweeps.py BASE README.md [FIRST [LAST]]   -> one JSON line per trial, and one per sweep
"""
import http.client
import json
import re
import sys
import time
import urllib.parse
from datetime import datetime


def blocks(readme):
    text = open(readme).read()
    section = text.split("## Experiments", 1)[1].split("\n## ", 1)[0]
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)```", section, re.S)]


def call(base, method, path, body=None):
    u = urllib.parse.urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    c.request(method, path, body=None if body is None else json.dumps(body), headers={"Content-Type": "application/json"})
    r = c.getresponse()
    payload = r.read()
    if r.status >= 300:
        raise SystemExit(f"{method} {path} -> {r.status}: {payload[:400]}")
    return json.loads(payload)


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def main():
    base, readme = sys.argv[1], sys.argv[2]
    specs = blocks(readme)
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    last = int(sys.argv[4]) if len(sys.argv) > 4 else len(specs) - 1
    for n, spec in enumerate(specs):
        if n < first or n > last:
            continue
        started = time.time()
        sweep = call(base, "POST", "/api/sweeps", spec)
        while sweep["status"] == "RUNNING":
            time.sleep(2)
            sweep = call(base, "GET", f"/api/sweeps/{sweep['id']}")
        for t in sweep["trials"]:
            job = call(base, "GET", f"/api/jobs/{t['jobId']}")
            secs = round(ts(job["finishedAt"]) - ts(job["startedAt"]), 1) if job.get("startedAt") and job.get("finishedAt") else None
            print(json.dumps({"sweep": n, "trial": t["number"], "parameters": t["parameters"], "status": t["status"],
                              "objective": t["objective"], "stoppedBy": t["stoppedBy"], "seconds": secs}), flush=True)
        best = sweep["best"]
        print(json.dumps({"sweep": n, "id": sweep["id"], "status": sweep["status"], "reason": sweep["reason"],
                          "counts": sweep["counts"], "best": best and best["parameters"],
                          "bestObjective": best and best["objective"], "wallSeconds": round(time.time() - started, 1)}), flush=True)


main()
