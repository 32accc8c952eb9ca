#!/usr/bin/env bash
# The Library window with a few sessions and kept genomes: imports three bred sessions
# into a scratch library, starts the real window under Xvfb, keeps three children with
# names and tags, and saves target/screenshot-library.png.
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
OUT=target/screenshot-library.png
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
