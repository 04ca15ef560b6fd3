#!/usr/bin/env bash
# Renders an elaswave report in headless Chromium and saves a full-page screenshot beside it
# (REPORT.png), to look at. Installs Debian's chromium first if it is missing (root).
# Usage: bench/check-report.sh bench/results/policies.html
set -euo pipefail
report="${1:?usage: bench/check-report.sh REPORT.html}"
[[ -f "$report" ]] || { echo "check-report: no such file: $report" >&2; exit 2; }
if ! command -v chromium >/dev/null 2>&1; then
  if [[ "$(id -u)" != 0 ]]; then
    echo "check-report: chromium is not installed (apt-get install chromium, as root)" >&2
    exit 2
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
shot="${report%.html}.png"
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
  --window-size=1000,5200 --screenshot="$(realpath -m "$shot")" "file://$(realpath "$report")" 2>/dev/null
svgs="$(chromium --headless=new --no-sandbox --disable-gpu --user-data-dir="$profile" --dump-dom \
  "file://$(realpath "$report")" 2>/dev/null | grep -o '<svg' | wc -l)"
echo "check-report: $report has $svgs charts in Chromium's DOM; screenshot $shot"
[[ "$svgs" -gt 0 ]]
