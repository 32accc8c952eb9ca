#!/usr/bin/env bash
# Times the real window reopening the library in a saves folder (README "The library"):
# when the window's first frame is drawn, when the current generation's pictures are
# all drawn, when the whole session is in (breeding works), and the peak memory.
#
#   cargo run --example long_session -- /tmp/long 1000   # a 1,000-generation library
#   scripts/reopen.sh /tmp/long
#
# Times are from the process's start, read from the layout file the window writes
# each frame ($PICBREEDER_LAYOUT): the first frame is `starting` (the screen shown while
# the library is read) or `evolve`; the pictures, `preview-ready` (that screen's) or
# `pictures-ready` (the grid's); the session, `session-ready`. Memory from
# /usr/bin/time -v. Needs what scripts/screenshot.sh needs, plus `time`.
set -euo pipefail
cd "$(dirname "$0")/.."
SAVES="${1:?usage: scripts/reopen.sh SAVES_DIR}"
PROFILE="${PROFILE:-dev}"
if [ "$PROFILE" = release ]; then
    cargo build --release -q
    BIN=target/release/picbreeder
else
    cargo build -q
    BIN=target/debug/picbreeder
fi
DISPLAY_NUM="${DISPLAY_NUM:-99}"
while [ -e "/tmp/.X${DISPLAY_NUM}-lock" ] || [ -e "/tmp/.X11-unix/X${DISPLAY_NUM}" ]; do
    DISPLAY_NUM=$((DISPLAY_NUM + 1))
done
export DISPLAY=":$DISPLAY_NUM"
WORK="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
Xvfb "$DISPLAY" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 150); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

LAYOUT="$WORK/layout.txt"
start=$(date +%s.%N)
PICBREEDER_SAVES="$SAVES" PICBREEDER_LAYOUT="$LAYOUT" LIBGL_ALWAYS_SOFTWARE=1 \
    /usr/bin/time -v -o "$WORK/time.txt" "$BIN" >"$WORK/app.log" 2>&1 &
APP=$!
pids+=("$APP")
declare -A seen=()
while [ "${#seen[@]}" -lt 3 ]; do
    now=$(date +%s.%N)
    if [ -s "$LAYOUT" ]; then
        for what in "frame starting evolve" "pictures preview-ready pictures-ready" \
            "session session-ready"; do
            read -r key names <<<"$what"
            for name in $names; do
                if [ -z "${seen[$key]:-}" ] && grep -q "^$name " "$LAYOUT" 2>/dev/null; then
                    seen[$key]=$(echo "$now - $start" | bc)
                fi
            done
        done
    fi
    kill -0 "$APP" 2>/dev/null || { echo "the window quit:"; cat "$WORK/app.log"; exit 1; }
    if (($(echo "$now - $start > 120" | bc))); then echo "gave up after 120 s"; break; fi
    sleep 0.01
done
# Let it settle, then close it (SIGTERM: eframe exits; time still reports).
sleep 1
pkill -TERM -P "$APP" 2>/dev/null || true
wait "$APP" 2>/dev/null || true
printf 'first frame        %6.2f s\n' "${seen[frame]:-nan}"
printf 'pictures drawn     %6.2f s\n' "${seen[pictures]:-nan}"
printf 'session in         %6.2f s\n' "${seen[session]:-nan}"
grep -E "Maximum resident" "$WORK/time.txt" | sed 's/^\s*/peak memory: /'
