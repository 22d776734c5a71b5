"""Groups a JFR recording's samples of request threads running Java code by the library they were in
(for bench/predict-profile.sh). Reads `jfr print --json --events jdk.ExecutionSample` on stdin. A
sample counts for the first frame, from the leaf down, outside the JDK's own packages, so a String
method called by Jackson counts as JSON. Native code (libtorch's forward pass, socket waits) is not
sampled here: JFR takes at most one native sample per period, so the script times the passes with
the service's own meter instead.
"""
import json
import re
import sys

GROUPS = [
    ("ai.djl.", "DJL's Java side (tensors in and out)"),
    ("tools.jackson.", "JSON (Jackson)"),
    ("com.fasterxml.jackson.", "JSON (Jackson)"),
    ("dev.dojo.", "Dojo's own code (decode, check, batch, answer)"),
    ("io.micrometer.", "metrics (Micrometer)"),
    ("org.springframework.security.", "Spring Security"),
    ("org.springframework.", "Spring MVC and the filters"),
    ("org.apache.catalina.", "Tomcat"),
    ("org.apache.coyote.", "Tomcat"),
    ("org.apache.tomcat.", "Tomcat"),
    ("sun.nio.", "sockets"),
    ("java.net.", "sockets"),
    ("sun.net.", "sockets"),
    ("ch.qos.logback.", "logging"),
    ("org.slf4j.", "logging"),
    ("org.hibernate.validator.", "bean validation"),
    ("jakarta.", "Jakarta APIs"),
    ("org.hibernate.", "database"),
    ("com.zaxxer.", "database"),
    ("org.h2.", "database"),
]
JDK = ("java.", "jdk.", "sun.", "com.sun.")

events = json.load(sys.stdin)["recording"]["events"]
weights = {}
for e in events:
    v = e["values"]
    thread = (v.get("sampledThread") or {}).get("javaName") or ""
    if not re.match(r"http-nio-.*-exec-", thread):
        continue
    frames = [f["method"]["type"]["name"].replace("/", ".") for f in (v.get("stackTrace") or {}).get("frames", [])]
    label = None
    for t in frames:
        hit = next((g for prefix, g in GROUPS if t.startswith(prefix)), None)
        if hit:
            label = hit
            break
        if not t.startswith(JDK):
            label = "other: " + ".".join(t.split(".")[:3])
            break
    label = label or "the JDK alone"
    weights[label] = weights.get(label, 0) + 1

total = sum(weights.values())
for label, w in sorted(weights.items(), key=lambda kv: -kv[1]):
    print(f"  {100 * w / total:5.1f}%  {label}")
print(f"  ({total} samples of request threads in Java code)")
