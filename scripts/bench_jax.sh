#!/usr/bin/env bash
# The same SGD step in JAX (CPU) and in picbreeder, side by side: skull's paper
# architecture, full batch 256x256, unit-norm gradient, Adam. Alternates the two
# ROUNDS times (default 3) so machine load hits both alike, and prints the medians and
# the ratio. Installs jax with pip into a virtual environment under target/jax-venv
# the first time. Needs ../shared/picbreeder/skull.zip (or $PICBREEDER_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
STEPS=${STEPS:-200}
SHARED=${PICBREEDER_SHARED:-../shared/picbreeder}
VENV=target/jax-venv

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
    "$VENV/bin/pip" install --quiet "jax[cpu]"
fi
"$VENV/bin/python" -c 'import jax; print("jax", jax.__version__, "devices", jax.devices())'

cargo build --quiet --release --bin picbreeder
OURS=target/release/picbreeder
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

jax_rates=()
our_rates=()
for round in $(seq "$ROUNDS"); do
    j=$("$VENV/bin/python" scripts/bench_jax.py 20 $((STEPS / 20)))
    line=$("$OURS" train "$SHARED/skull.zip" --steps "$STEPS" -s 256 --arch paper -o "$out/net.json" 2>/dev/null)
    o=$(sed -E 's/.* ([0-9.]+) steps\/s.*/\1/' <<<"$line")
    echo "round $round: jax $j steps/s, picbreeder $o steps/s"
    jax_rates+=("$j")
    our_rates+=("$o")
done

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
jm=$(median "${jax_rates[@]}")
om=$(median "${our_rates[@]}")
echo "median: jax $jm steps/s, picbreeder $om steps/s, ratio $(awk -v o="$om" -v j="$jm" 'BEGIN {printf "%.1f", o / j}')x"
