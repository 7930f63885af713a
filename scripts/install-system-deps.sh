#!/usr/bin/env bash
# Install the system packages the tests and the app need: a PostgreSQL server
# for the service tests, the libraries Qt 6 (PySide6 wheels) loads, and Xvfb.
# Idempotent: packages already installed are found with dpkg and no network is
# used. On systems without apt it only prints what to install.
set -euo pipefail

PACKAGES=(
    postgresql
    # Qt 6 from the PySide6 wheels: OpenGL/EGL, fonts, input, D-Bus, GLib
    libegl1 libgl1 libglib2.0-0 libfontconfig1 libfreetype6 fonts-dejavu-core
    libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
    # Qt's xcb platform plugin
    libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
    libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xinerama0
    libxcb-xkb1
    xvfb xauth
)

# `python3 -m venv` on Debian's own Python needs python3-venv (ensurepip).
PYTHON="${PYTHON:-python3}"
if command -v "$PYTHON" >/dev/null 2>&1 \
        && ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    PACKAGES+=(python3-venv)
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: not a Debian/Ubuntu system; install by hand the" \
         "equivalents of: ${PACKAGES[*]}" >&2
    exit 0
fi

is_installed() {
    # Ubuntu 24.04 renamed some libraries with a t64 suffix (libglib2.0-0t64).
    local name
    for name in "$1" "$1t64"; do
        if [ "$(dpkg-query -W -f='${Status}' "$name" 2>/dev/null)" = "install ok installed" ]; then
            return 0
        fi
    done
    return 1
}

missing=()
for package in "${PACKAGES[@]}"; do
    is_installed "$package" || missing+=("$package")
done

if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

echo "install-system-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "install-system-deps: not root and no sudo; please install: ${missing[*]}" >&2
    exit 0
fi

APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
"${APT[@]}" update -q </dev/null
"${APT[@]}" install -y -q --no-install-recommends "${missing[@]}" </dev/null
