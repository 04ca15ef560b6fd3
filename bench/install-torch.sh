#!/usr/bin/env bash
# Installs what bench/compare-torch.sh needs, from Debian (needs root): PyTorch 1.13
# (python3-torch) and the threaded OpenBLAS (libopenblas0-pthread), so that torch's BLAS is
# OpenBLAS as the comparison says. Idempotent. Debian's torch is for Debian's Python, so it is
# checked with /usr/bin/python3 (a pyenv or venv python3 earlier on PATH would not see it).
set -euo pipefail
need=()
/usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
if ((${#need[@]})); then
  [[ $(id -u) -eq 0 ]] || { echo "install-torch: installing ${need[*]} needs root" >&2; exit 1; }
  echo "install-torch: apt-get install ${need[*]}" >&2
  log=${TMPDIR:-/tmp}/install-torch.log
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
    tail -5 "$log" >&2
    echo "install-torch: apt-get failed (whole log: $log)" >&2
    exit 1
  fi
fi
/usr/bin/python3 -c 'import torch; print("install-torch: torch", torch.__version__, "ready")'
