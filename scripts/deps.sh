#!/usr/bin/env bash
# Installs what building and testing Hookscope needs on Debian/Ubuntu: the C
# headers of Fyne's cgo build (GLFW + OpenGL), a CJK font, and for the tests Xvfb
# and the tools that take and check a screenshot of the real window (tesseract
# reads the list's paths back from it), a window manager (openbox, wmctrl) to
# fit and close the window as a desktop does, and dbus-daemon for the test of
# the notifications sent over a private session bus.
# Usage: scripts/deps.sh [build|test]   (default build)
set -euo pipefail

build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev)
test_pkgs=(xvfb xauth libgl1-mesa-dri xdotool imagemagick curl openbox wmctrl dbus tesseract-ocr tesseract-ocr-eng)
# The window draws CJK text with a system font (Fyne's own has no CJK glyphs);
# the ui tests check that it does.
build_pkgs+=(fonts-wqy-microhei)

pkgs=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v go >/dev/null 2>&1; then
  echo "deps: Go 1.26 or newer is needed (https://go.dev/dl/); it is not on PATH" >&2
  exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deps: missing ${missing[*]}; this script installs them with apt-get on Debian/Ubuntu only" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
