#!/usr/bin/env bash
# Times the real window reopening the library in a saves folder (docs/benchmarks.md, "Reopening a long session"):
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
# /usr/bin/time -v. Needs what scripts/window.sh installs, plus `time` and `bc`.
set -euo pipefail
SAVES="$(realpath "${1:?usage: scripts/reopen.sh SAVES_DIR}")"
extra_needs=(time bc)
source "$(dirname "$0")/window.sh"
WORK="$SCRATCH"

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
