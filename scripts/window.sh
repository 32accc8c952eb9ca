# Sourced (not run) by the scripts that drive the real window under Xvfb
# (screenshot.sh, screenshot_library.sh, reopen.sh): installs what is missing, builds
# the app (BIN), starts Xvfb on a display nobody uses (DISPLAY), and on exit stops
# what was started (the pids in `pids`) and removes the scratch folder SCRATCH.
#
# Needs (installed here if missing and running as root): xvfb xauth imagemagick
# xdotool, plus the window's runtime libraries libegl1 libgl1-mesa-dri
# libxkbcommon-x11-0 libxcursor1 libxi6 libx11-xcb1 libfontconfig1, and whatever the
# sourcing script lists in `extra_needs`.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need=(xvfb xauth imagemagick xdotool libegl1 libgl1-mesa-dri libxkbcommon-x11-0 libxcursor1 libxi6 libx11-xcb1 libfontconfig1 ${extra_needs[@]+"${extra_needs[@]}"})
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
SCRATCH="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$SCRATCH"
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
