#!/usr/bin/env bash
# The SGD twin kept with its session, in the real window under Xvfb: trains on the
# opened genome (skull by default) for a while, presses Ctrl+Q (the window asks), Stay,
# Ctrl+Q again, "Keep the training state and quit", then starts the window again on
# the same library and shows the twin back. Writes target/screenshot-twin-{training,
# quit,restarted,neurons}.png and prints what the library holds.
#
# Needs what scripts/window.sh installs (Xvfb, xdotool, imagemagick, GL libraries).
set -euo pipefail
OPEN="${OPEN:-../shared/picbreeder/skull.zip}"
source "$(dirname "$0")/window.sh"
SAVES="$SCRATCH"
LAYOUT="$SAVES/layout.txt"

# `at NAME [N]` prints the centre of a hotspot, waiting up to 8 s for it.
at() {
    for _ in $(seq 80); do
        local xy
        xy=$(awk -v k="$1" -v n="${2:-}" '$1==k && (n=="" || $2==n) {print $(NF-1), $NF; exit}' "$LAYOUT")
        [ -n "$xy" ] && { echo "$xy"; return; }
        sleep 0.1
    done
    echo "no '$1' in the layout file" >&2
    return 1
}
start() {
    rm -f "$LAYOUT"
    PICBREEDER_SAVES="$SAVES" PICBREEDER_LAYOUT="$LAYOUT" PICBREEDER_SEED=42 LIBGL_ALWAYS_SOFTWARE=1 \
        "$BIN" "$@" >>target/screenshot-app.log 2>&1 &
    APP=$!
    pids+=("$APP")
    WID=""
    for _ in $(seq 100); do
        WID=$(xdotool search --name '^picbreeder$' 2>/dev/null | head -1 || true)
        [ -n "$WID" ] && break
        sleep 0.2
    done
    [ -n "$WID" ] || { echo "the window never appeared"; cat target/screenshot-app.log; exit 1; }
    xdotool windowmove "$WID" 0 0 windowsize "$WID" 1280 800 || true
    sleep 4
}
# Ctrl+Q reaches the window once it has the focus (there is no window manager).
ctrl_q() {
    xdotool windowfocus --sync "$WID" 2>/dev/null || true
    xdotool key --clearmodifiers ctrl+q
    sleep 1.5
}

start open "$OPEN"
read -r CX CY < <(at child 1)
xdotool mousemove "$CX" "$CY" click 3
sleep 1
read -r TX TY < <(at twin)
xdotool mousemove "$TX" "$TY" click 1
sleep 1.5
read -r SX SY < <(at train)
xdotool mousemove "$SX" "$SY" click 1
sleep "${TRAIN_SECONDS:-15}"
import -window root target/screenshot-twin-training.png
ctrl_q
import -window root target/screenshot-twin-quit.png
read -r X Y < <(at quit-stay)
xdotool mousemove "$X" "$Y" click 1
sleep 2
ctrl_q
read -r X Y < <(at quit-keep)
xdotool mousemove "$X" "$Y" click 1
for _ in $(seq 100); do kill -0 "$APP" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$APP" 2>/dev/null; then echo "the window did not close"; exit 1; fi
echo "library: twins (session, step, child):" \
    "$(sqlite3 "$SAVES/library.sqlite" 'SELECT session, step, child FROM twins' 2>/dev/null || echo '(no sqlite3)')"

start
read -r TX TY < <(at twin)
xdotool mousemove "$TX" "$TY" click 1
sleep 3
import -window root target/screenshot-twin-restarted.png
read -r NX NY < <(at Neurons)
xdotool mousemove "$NX" "$NY" click 1
sleep 4
import -window root target/screenshot-twin-neurons.png
echo "wrote target/screenshot-twin-{training,quit,restarted,neurons}.png"
