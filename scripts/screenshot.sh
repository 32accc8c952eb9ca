#!/usr/bin/env bash
# Builds the app, starts the real window under Xvfb, clicks a child, evolves, and saves
# screenshots to target/screenshot*.png: the grid, training, neurons, all sweeps, graph.
# OPEN=genome-or-session starts the window with that file (`picbreeder open FILE`).
#
# Needs (installed here if missing and running as root): xvfb xauth imagemagick xdotool,
# plus the window's runtime libraries libegl1 libgl1-mesa-dri libxkbcommon-x11-0
# libxcursor1 libxi6 libx11-xcb1 libfontconfig1.
set -euo pipefail
cd "$(dirname "$0")/.."

need=(xvfb xauth imagemagick xdotool libegl1 libgl1-mesa-dri libxkbcommon-x11-0 libxcursor1 libxi6 libx11-xcb1 libfontconfig1)
missing=()
for p in "${need[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The dev profile is optimised too (Cargo.toml) and shares the test build; PROFILE=release for a release build.
PROFILE="${PROFILE:-dev}"
if [ "$PROFILE" = release ]; then
    cargo build --release
    BIN=target/release/picbreeder
else
    cargo build
    BIN=target/debug/picbreeder
fi

# A display number nobody uses (other jobs on this machine may run Xvfb too).
DISPLAY_NUM="${DISPLAY_NUM:-99}"
while [ -e "/tmp/.X${DISPLAY_NUM}-lock" ] || [ -e "/tmp/.X11-unix/X${DISPLAY_NUM}" ]; do
    DISPLAY_NUM=$((DISPLAY_NUM + 1))
done
export DISPLAY=":$DISPLAY_NUM"
SAVES="$(mktemp -d)"
OUT=target/screenshot.png
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$SAVES"
}
trap cleanup EXIT

Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >target/screenshot-xvfb.log 2>&1 &
pids+=($!)
up=""
for _ in $(seq 150); do
    if xdotool getmouselocation >/dev/null 2>&1; then up=1; break; fi
    sleep 0.1
done
[ -n "$up" ] || { echo "Xvfb did not start on $DISPLAY"; cat target/screenshot-xvfb.log; exit 1; }

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
# Pick the first child of the new generation to show it in the large view.
read -r CX CY < <(at child 1)
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
