#!/usr/bin/env bash
# The Experiment tab in the real window under Xvfb: opens the bred lineage
# (assets/lineage-session.json), views child 15 of its last generation, runs the default
# study (3 seeds, stepping stones vs direct) and saves target/screenshot-experiment.png.
# Needs what scripts/screenshot.sh installs (run that once first).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build
BIN=target/debug/picbreeder
DISPLAY_NUM=120
while [ -e "/tmp/.X${DISPLAY_NUM}-lock" ]; do DISPLAY_NUM=$((DISPLAY_NUM + 1)); done
export DISPLAY=":$DISPLAY_NUM"
SAVES="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$SAVES"; }
trap cleanup EXIT
Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 150); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
LAYOUT="$SAVES/layout.txt"
PICBREEDER_SAVES="$SAVES" PICBREEDER_LAYOUT="$LAYOUT" LIBGL_ALWAYS_SOFTWARE=1 \
    "$BIN" open "${OPEN:-assets/lineage-session.json}" >target/screenshot-app.log 2>&1 &
pids+=($!)
for _ in $(seq 100); do
    WID=$(xdotool search --name '^picbreeder$' 2>/dev/null | head -1 || true)
    [ -n "$WID" ] && break
    sleep 0.2
done
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1280 800 || true
sleep 2
at() {
    for _ in $(seq 50); do
        local xy
        xy=$(awk -v k="$1" -v n="${2:-}" '$1==k && (n=="" || $2==n) {print $(NF-1), $NF; exit}' "$LAYOUT" 2>/dev/null)
        [ -n "$xy" ] && { echo "$xy"; return; }
        sleep 0.1
    done
    echo "no '$1' in the layout" >&2; cat "$LAYOUT" >&2; return 1
}
read -r X Y < <(at child "${CHILD:-15}"); xdotool mousemove "$X" "$Y" click 3; sleep 1
read -r X Y < <(at twin); xdotool mousemove "$X" "$Y" click 1; sleep 1.5
read -r X Y < <(at tab-Experiment); xdotool mousemove "$X" "$Y" click 1; sleep 1.5
read -r X Y < <(at run-experiment); xdotool mousemove "$X" "$Y" click 1
sleep "${RUN_SECONDS:-20}"
import -window root target/screenshot-experiment-running.png
sleep "${MORE_SECONDS:-40}"
import -window root target/screenshot-experiment.png
echo "wrote target/screenshot-experiment-running.png and target/screenshot-experiment.png"
