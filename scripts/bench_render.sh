#!/usr/bin/env bash
# `render apple -s 2048` as a whole process (hyperfine, release build), then the numpy
# baseline at the same sizes, in one run. Pass other picbreeder binaries to time them
# beside this one (an older build, say): scripts/bench_render.sh /tmp/pb-old
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin picbreeder
genome=../shared/picbreeder/apple.zip
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cmds=("target/release/picbreeder render $genome -s 2048 -o $out/new.png")
i=0
for bin in "$@"; do
    i=$((i + 1))
    cmds+=("$bin render $genome -s 2048 -o $out/other$i.png")
done
hyperfine -N -w 2 -r 30 --export-json "$out/times.json" "${cmds[@]}"
python3 -c 'import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("median %.1f ms: %s" % (r["median"] * 1e3, r["command"]))' "$out/times.json"
ls -l "$out"/*.png
scripts/bench_numpy.sh "$genome"
