#!/usr/bin/env bash
# Install Debian's Chromium (and CJK fonts, so pages render as readers see them) when missing: the browser
# tests need both and fail, never skip, without them. Needs root and apt-get; otherwise says what to install.
set -u
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need="$need fonts-noto-cjk"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "== installing Debian packages:$need"
  export DEBIAN_FRONTEND=noninteractive
  # shellcheck disable=SC2086
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $need >/dev/null
else
  echo "The browser tests need Debian packages:$need (sudo apt-get install$need)" >&2
fi
exit 0
