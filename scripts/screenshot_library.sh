#!/usr/bin/env bash
# The Library window with a few sessions and kept genomes: imports three bred sessions
# into a scratch library, starts the real window under Xvfb, keeps three children with
# names and tags, and saves target/screenshot-library.png.
#
# Needs what scripts/window.sh installs (Xvfb, xdotool, imagemagick, GL libraries).
set -euo pipefail
source "$(dirname "$0")/window.sh"
SAVES="$SCRATCH"
OUT=target/screenshot-library.png

# Three sessions bred without the window, imported into the scratch library.
for seed in 3 5 8; do
    "$BIN" breed --new "$seed" -o "$SAVES/s$seed.json" >/dev/null
    "$BIN" breed "$SAVES/s$seed.json" --pick 2,5 -o "$SAVES/s$seed.json" >/dev/null
    "$BIN" breed "$SAVES/s$seed.json" --pick 1 -o "$SAVES/s$seed.json" >/dev/null
done
"$BIN" library --library "$SAVES/library.sqlite" import "$SAVES/s3.json" --name "Red swirls" >/dev/null
"$BIN" library --library "$SAVES/library.sqlite" import "$SAVES/s5.json" --name "Eyes" >/dev/null
"$BIN" library --library "$SAVES/library.sqlite" import "$SAVES/s8.json" --name "Stripes" >/dev/null

LAYOUT="$SAVES/layout.txt"
PICBREEDER_SAVES="$SAVES" PICBREEDER_LAYOUT="$LAYOUT" LIBGL_ALWAYS_SOFTWARE=1 \
    "$BIN" >target/screenshot-app.log 2>&1 &
APP=$!
pids+=("$APP")
for _ in $(seq 100); do
    WID=$(xdotool search --name '^picbreeder$' 2>/dev/null | head -1 || true)
    [ -n "$WID" ] && break
    kill -0 "$APP" 2>/dev/null || { cat target/screenshot-app.log; exit 1; }
    sleep 0.2
done
[ -n "${WID:-}" ] || { echo "the window never appeared"; cat target/screenshot-app.log; exit 1; }
xdotool windowmove "$WID" 0 0 windowsize "$WID" 1280 800 || true
# Keys go to the focused window (there is no window manager to give it focus).
xdotool windowfocus --sync "$WID" || true
sleep 2
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
for _ in $(seq 50); do [ -s "$LAYOUT" ] && break; sleep 0.2; done
[ -s "$LAYOUT" ] || { echo "no layout file"; cat target/screenshot-app.log; exit 1; }

# keep CHILD NAME TAGS: view the child (right-click), type the name and tags, Keep.
keep() {
    read -r CX CY < <(at child "$1")
    xdotool mousemove "$CX" "$CY" click 3
    sleep 1
    read -r NX NY < <(at keep-name)
    xdotool mousemove "$NX" "$NY" click 1
    sleep 0.5
    xdotool type --delay 50 "$2"
    sleep 0.3
    read -r TX TY < <(at keep-tags)
    xdotool mousemove "$TX" "$TY" click 1
    sleep 0.5
    xdotool type --delay 50 "$3"
    sleep 0.3
    read -r KX KY < <(at keep)
    xdotool mousemove "$KX" "$KY" click 1
    sleep 1
}
read -r LX LY < <(at library)
xdotool mousemove "$LX" "$LY" click 1
sleep 1
keep 1 "Sunrise" "warm, round"
keep 4 "Ripples" "blue, stripes"
keep 9 "Moth" "symmetric"
# Let the thumbnails render (the lists are read again every 2 s).
sleep 4
import -window root "$OUT"
echo "wrote $OUT"
