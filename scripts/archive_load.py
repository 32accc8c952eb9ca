#!/usr/bin/env python3
"""Load on a local archive (loopback only, bounded): seeds N items, then times the list
API and the newest page under C concurrent clients for S seconds, and single publishes.

    cargo build --release
    python3 scripts/archive_load.py target/release/picbreeder [N=10000] [C=50] [S=10]
"""
import json, os, statistics, subprocess, sys, tempfile, threading, time, urllib.request

exe = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
clients = int(sys.argv[3]) if len(sys.argv) > 3 else 50
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10
d = tempfile.mkdtemp()
db = os.path.join(d, "a.sqlite")
token = subprocess.run([exe, "serve", "add-user", "load", "--db", db], capture_output=True, text=True).stdout.split()[-1]
srv = subprocess.Popen([exe, "serve", "--addr", "127.0.0.1:0", "--db", db, "--burst", "1000000", "--per-minute", "1000000"], stdout=subprocess.PIPE, text=True)
url = [w for w in srv.stdout.readline().split() if w.startswith("http://")][0]

def genome(w):
    nodes = [{"id": f"0:{i}", "kind": {"input": k}, "activation": "identity"} for i, k in enumerate(["x", "y", "d", "bias"])]
    nodes.append({"id": "0:4", "kind": {"output": "ink"}, "activation": "sigmoid"})
    return {"format": "picbreeder-genome", "version": 2, "nodes": nodes,
            "links": [{"id": "0:10", "source": "0:0", "target": "0:4", "weight": w},
                      {"id": "0:11", "source": "0:2", "target": "0:4", "weight": -w}]}

def publish(i):
    body = json.dumps({"genome": genome(i / 997.0), "title": f"item {i}", "tags": [f"t{i % 20}"],
                       "branched_from": (i // 2) if i > 1 else None}).encode()
    req = urllib.request.Request(url + "/api/items", data=body, method="POST",
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    t = time.perf_counter()
    urllib.request.urlopen(req, timeout=30).read()
    return time.perf_counter() - t

try:
    t0 = time.perf_counter()
    lat = [publish(i) for i in range(1, n + 1)]
    seed = time.perf_counter() - t0
    q = statistics.quantiles(lat, n=100)
    print(f"seeded {n} items in {seed:.1f} s; publish (one client, 128+512 px PNGs) p50 {q[49]*1000:.1f} ms p99 {q[98]*1000:.1f} ms")
    for path in ["/api/items?per_page=24", "/api/items?sort=branched&per_page=24", "/"]:
        lats, stop = [], time.perf_counter() + seconds
        lock = threading.Lock()
        def run():
            mine = []
            while time.perf_counter() < stop:
                t = time.perf_counter()
                urllib.request.urlopen(url + path, timeout=30).read()
                mine.append(time.perf_counter() - t)
            with lock:
                lats.extend(mine)
        ts = [threading.Thread(target=run) for _ in range(clients)]
        [t.start() for t in ts]; [t.join() for t in ts]
        q = statistics.quantiles(lats, n=100)
        print(f"{path}: {clients} clients {seconds:.0f} s: {len(lats)/seconds:.0f} req/s, p50 {q[49]*1000:.1f} ms, p99 {q[98]*1000:.1f} ms")
finally:
    srv.kill()
