"""A straightforward numpy evaluation of a Picbreeder genome, node by node over whole
planes, as the FER paper's code does, timed at 256x256, 1024x1024 and 2048x2048 (float32).

Usage: python scripts/bench_numpy.py GENOME.zip   (see scripts/bench_numpy.sh)
"""
import statistics
import sys
import time
import xml.etree.ElementTree as ET
import zipfile

import numpy as np

ACT = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 2.0 / (1.0 + np.exp(-z)) - 1.0,
    "gaussian": lambda z: 2.0 * np.exp(-z * z) - 1.0,
    "sin": np.sin,
    "cos": np.cos,
}


def load(path):
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read(z.namelist()[0]))
    mark = lambda el: (el.get("branch"), el.get("id"))
    nodes = {}
    for n in root.iter("node"):
        nodes[mark(n.find("marking"))] = (n.get("type"), n.get("label"), n.find("activation").text.replace("(x)", ""))
    links = [(mark(l.find("source")), mark(l.find("target")), float(l.find("weight").text)) for l in root.iter("link")]
    return nodes, links


def order(nodes, links):
    incoming = {k: [] for k in nodes}
    for s, t, w in links:
        incoming[t].append((s, w))
    done, out = set(), []

    def visit(k):
        if k in done:
            return
        done.add(k)
        for s, _ in incoming[k]:
            visit(s)
        out.append(k)

    for k in nodes:
        visit(k)
    return out, incoming


def render(nodes, links, n):
    xs = np.linspace(-1, 1, n, dtype=np.float32)
    x, y = np.meshgrid(xs, xs)
    feats = {"x": x, "y": y, "d": 1.4 * np.sqrt(x * x + y * y), "bias": np.ones_like(x)}
    seq, incoming = order(nodes, links)
    vals = {}
    for k in seq:
        typ, label, act = nodes[k]
        if typ == "in":
            vals[k] = feats[label]
            continue
        z = np.zeros_like(x)
        for s, w in incoming[k]:
            z += np.float32(w) * vals[s]
        vals[k] = ACT[act](z)
    return {nodes[k][1]: v for k, v in vals.items() if nodes[k][0] == "out"}


def main():
    nodes, links = load(sys.argv[1])
    for n, reps in [(256, 20), (1024, 5), (2048, 3)]:
        times = []
        for _ in range(reps):
            t = time.perf_counter()
            render(nodes, links, n)
            times.append(time.perf_counter() - t)
        print(f"numpy {n}x{n}: median {statistics.median(times) * 1e3:.1f} ms over {reps} runs")


if __name__ == "__main__":
    main()
