#!/usr/bin/env bash
# Times a plain numpy evaluation of the apple genome (the baseline for the render
# benchmark). Installs numpy into a virtual environment under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/numpy-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import numpy" 2>/dev/null || "$venv/bin/pip" install --quiet numpy
"$venv/bin/python" -c "import numpy; print('numpy', numpy.__version__)"
"$venv/bin/python" scripts/bench_numpy.py "${1:-../shared/picbreeder/apple.zip}"
