#!/usr/bin/env python3
"""Times seed sine jobs through a running Dojo service: per-step time of the whole job and of its
training loop alone, and submit-to-RUNNING latency.

Usage: sine_service.py BASE_URL RUNS [NODE]
NODE labels the lines: "fresh" (the default) for a node's first jobs, "settled" for jobs after the
node has run others, "-" to print nothing (jobs that only settle the node).
"""
import json
import sys
import time
import urllib.request
from datetime import datetime


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def ts(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


def main():
    base, runs = sys.argv[1], int(sys.argv[2])
    node = sys.argv[3] if len(sys.argv) > 3 else "fresh"
    for _ in range(runs):
        sent = time.time()
        job = call("POST", base + "/api/jobs", {"task": "sine-regression"})
        # Poll fast only until the job leaves the queue; then long-poll, so the client does not
        # steal the CPU the job is training on.
        while True:
            view = call("GET", base + "/api/jobs/" + job["id"])
            if view["status"] != "QUEUED":
                seen_running = time.time()
                break
            time.sleep(0.002)
        while view["status"] not in ("SUCCEEDED", "FAILED", "CANCELLED"):
            view = call("GET", base + "/api/jobs/" + job["id"] + "?waitSeconds=60")
        steps = view["progress"]["epochs"]
        run_s = ts(view["finishedAt"]) - ts(view["startedAt"])
        # The training loop inside the service: from the first train_loss to the last, by the
        # timestamps the training thread gave them (the job's start and finish also cover the
        # claim, the resume check and the final write).
        metrics = base + "/api/jobs/" + job["id"] + "/metrics?name=train_loss&limit=1"
        first = call("GET", metrics)["items"][0]
        last = call("GET", metrics + "&afterStep=" + str(steps - 1))["items"][0]
        loop_s = ts(last["recordedAt"]) - ts(first["recordedAt"])
        if node == "-":
            continue
        print(json.dumps({
            "peer": "dojo-service-job",
            "node": node,
            "status": view["status"],
            "steps": steps,
            "ms": round(run_s * 1000),
            "us_per_step": round(run_s * 1e6 / steps),
            "loop_us_per_step": round(loop_s * 1e6 / (last["step"] - first["step"])),
            "final_mse": round(view["latestMetrics"]["train_loss"]["value"], 4),
            "submit_to_running_ms_db": round((ts(view["startedAt"]) - ts(view["createdAt"])) * 1000, 1),
            "submit_to_running_ms_http": round((seen_running - sent) * 1000, 1),
        }))


if __name__ == "__main__":
    main()
