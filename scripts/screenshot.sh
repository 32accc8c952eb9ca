#!/usr/bin/env bash
# Builds the app, starts the real window under Xvfb, clicks a child, evolves, and saves
# screenshots to target/screenshot*.png: the grid, training, neurons, all sweeps, graph.
# OPEN=genome-or-session starts the window with that file (`picbreeder open FILE`).
#
# Needs what scripts/window.sh installs (Xvfb, xdotool, imagemagick, GL libraries).
set -euo pipefail
source "$(dirname "$0")/window.sh"
SAVES="$SCRATCH"
OUT=target/screenshot.png

# A fresh session with a fixed seed, autosaving to a scratch folder (never ./saves).
LAYOUT="$SAVES/layout.txt"
PICBREEDER_SAVES="$SAVES" PICBREEDER_LAYOUT="$LAYOUT" PICBREEDER_SEED="${PICBREEDER_SEED:-42}" LIBGL_ALWAYS_SOFTWARE=1 \
    "$BIN" ${OPEN:+open "$OPEN"} >target/screenshot-app.log 2>&1 &
APP=$!
pids+=("$APP")

# Wait for the window to appear, then for the first thumbnails.
for _ in $(seq 100); do
    WID=$(xdotool search --name '^picbreeder$' 2>/dev/null | head -1 || true)
    [ -n "$WID" ] && break
    kill -0 "$APP" 2>/dev/null || { cat target/screenshot-app.log; exit 1; }
    sleep 0.2
done
[ -n "${WID:-}" ] || { echo "the window never appeared"; cat target/screenshot-app.log; exit 1; }
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1280 800 || true
sleep 2

# Where things are: the app writes its layout (child centres, buttons) to a file.
# `at NAME [N]` prints the centre of a hotspot, waiting up to 5 s for it to appear.
at() {
    for _ in $(seq 50); do
        local xy
        xy=$(awk -v k="$1" -v n="${2:-}" '$1==k && (n=="" || $2==n) {print $(NF-1), $NF; exit}' "$LAYOUT")
        [ -n "$xy" ] && { echo "$xy"; return; }
        sleep 0.1
    done
    import -window root target/screenshot-failed.png
    echo "no '$1 ${2:-}' in the layout file (see target/screenshot-failed.png):" >&2
    cat "$LAYOUT" >&2
    return 1
}
for _ in $(seq 50); do [ -s "$LAYOUT" ] && break; sleep 0.2; done
[ -s "$LAYOUT" ] || { echo "no layout file"; cat target/screenshot-app.log; exit 1; }
read -r CX CY < <(at child 2)
read -r C2X C2Y < <(at child 7)
read -r EX EY < <(at evolve)

xdotool mousemove "$CX" "$CY" click 1
sleep 0.5
xdotool mousemove "$C2X" "$C2Y" click 1
sleep 0.5
import -window root target/screenshot-parents.png
xdotool mousemove "$EX" "$EY" click 1
sleep 0.5
# Pick a bred child of the new generation (the first ones are the parents, kept) to
# show it in the large view: the Experiment tab needs its recorded ancestry.
read -r CX CY < <(at child 4)
xdotool mousemove "$CX" "$CY" click 3
sleep 3
import -window root "$OUT"
echo "wrote $OUT (and target/screenshot-parents.png before evolving)"

# The SGD twin: open the side panel, train on the viewed child, then look at both
# networks' neurons side by side.
read -r TX TY < <(at twin)
xdotool mousemove "$TX" "$TY" click 1
sleep 1.5
read -r SX SY < <(at train)
xdotool mousemove "$SX" "$SY" click 1
sleep "${TRAIN_SECONDS:-20}"
import -window root target/screenshot-train.png
read -r NX NY < <(at Neurons)
xdotool mousemove "$NX" "$NY" click 1
sleep 3
import -window root target/screenshot-neurons.png
echo "wrote target/screenshot-train.png and target/screenshot-neurons.png (the SGD twin)"

# The all-sweeps page: rank the links, then one strip per link.
read -r WX WY < <(at Sweep)
xdotool mousemove "$WX" "$WY" click 1
sleep 1.5
read -r RX RY < <(at rank)
xdotool mousemove "$RX" "$RY" click 1
sleep 4
read -r AX AY < <(at all-sweeps)
xdotool mousemove "$AX" "$AY" click 1
sleep 3
import -window root target/screenshot-sweeps.png
echo "wrote target/screenshot-sweeps.png (every link's sweep)"

read -r GX GY < <(at Graph)
xdotool mousemove "$GX" "$GY" click 1
sleep 3
import -window root target/screenshot-graph.png
echo "wrote target/screenshot-graph.png (the genome as a graph)"

# The Path view: the viewed child's lineage above the training run's snapshots.
read -r PX PY < <(at Path)
xdotool mousemove "$PX" "$PY" click 1
sleep 3
import -window root target/screenshot-path.png
echo "wrote target/screenshot-path.png (lineage above the run's snapshots)"

# The Experiment tab: stepping stones vs direct on the viewed child, with its defaults
# (3 seeds, 2,000 steps, 128x128), caught while it runs.
read -r XX XY < <(at tab-Experiment)
xdotool mousemove "$XX" "$XY" click 1
sleep 1
read -r RX RY < <(at run-experiment)
xdotool mousemove "$RX" "$RY" click 1
sleep "${EXPERIMENT_SECONDS:-60}"
import -window root target/screenshot-experiment.png
echo "wrote target/screenshot-experiment.png (the experiment table filling)"
