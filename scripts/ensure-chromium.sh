#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (test tools may not download a browser here).
# Installs it when missing and this is root on Debian; otherwise says what to run.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  /usr/bin/chromium --version
else
  echo "The browser tests need Debian's Chromium at /usr/bin/chromium: run 'sudo apt-get install -y chromium'." >&2
  exit 1
fi
