#!/usr/bin/env bash
# The review-page test opens index.html in headless Chromium. Install Debian's chromium when it
# is missing and we are allowed to (root with apt-get, as on CI); otherwise say how, and let the
# test skip itself (it never skips when CI is set).
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium for the review-page test (apt-get)..."
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit $?
fi
echo "note: chromium not found; the review-page test will be skipped (apt-get install chromium)"
