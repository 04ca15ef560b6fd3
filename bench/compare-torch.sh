#!/usr/bin/env bash
# Java reference trainer vs PyTorch, one thread each, the same model shape and step (G x B x T),
# back to back in one run: for each model, ROUNDS rounds of (Java StepLoop, PyTorch
# compare_torch.py), the medians of their steady-state steps; writes bench/results/torch-compare.json.
#
# Installs nothing. Needs Debian's python3-torch and libopenblas0-pthread (torch's BLAS is then
# OpenBLAS 0.3.21); bench/install-torch.sh installs both. OpenBLAS 0.3.21 does not know this CPU
# (family 6 model 207) and falls back to its SSE3 "Prescott" kernel (~28 GFLOP/s here), so the
# AVX-512 kernel is named: OPENBLAS_CORETYPE=SkylakeX (the kernel numpy's OpenBLAS picks here;
# ~115-140 GFLOP/s). Override with OPENBLAS_CORETYPE=... if your CPU is detected.
# Usage: bench/compare-torch.sh [MODELS (default "small base")]
# Environment: JAVA_HOME (the JDK; default: java on PATH), OUT (default bench/results/torch-compare.json),
# ROUNDS (default 2), JAVA_STEPS (default 30; medians over the second half),
#              TORCH_STEPS (default 15, after 5 warm-up steps), BUILD=1 to rebuild the bench jar.
set -euo pipefail
cd "$(dirname "$0")/.."
MODELS=${1:-"small base"}
ROUNDS=${ROUNDS:-2}
JAVA_STEPS=${JAVA_STEPS:-30}
TORCH_STEPS=${TORCH_STEPS:-15}
JAR=bench/target/benchmarks.jar
OUT=${OUT:-bench/results/torch-compare.json}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java # JAVA_HOME picks the JDK, as for bin/elaswave
JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)
PY=/usr/bin/python3
if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "compare-torch: needs Debian's python3-torch and libopenblas0-pthread for $PY; run bench/install-torch.sh (as root)" >&2
  exit 2
fi
if [[ "${BUILD:-0}" == 1 || ! -f "$JAR" ]]; then
  mvn -q -B -pl engine,bench install -DskipTests
fi
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-SkylakeX} OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg); OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE; $JAVA_VERSION"
for model in $MODELS; do
  for ((r = 1; r <= ROUNDS; r++)); do
    "$JAVA" --add-modules jdk.incubator.vector -Xmx3g -XX:+UseParallelGC -cp "$JAR" io.elaswave.bench.StepLoop \
      "$JAVA_STEPS" "$model" 2>/dev/null | grep '^median' | tee "$tmp/java-$model-$r.txt"
    "$PY" bench/compare_torch.py --model "$model" --steps "$TORCH_STEPS" --warmup 5 | tee "$tmp/torch-$model-$r.json"
  done
done
echo "== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
JAVA_VERSION="$JAVA_VERSION" "$PY" - "$tmp" "$OUT" "$MODELS" "$ROUNDS" <<'PYEOF'
import json, os, platform, re, statistics, sys, datetime
tmp, out, models, rounds = sys.argv[1], sys.argv[2], sys.argv[3].split(), int(sys.argv[4])
result = {"generatedAt": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"), "cores": os.cpu_count(),
          "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
          "openblasCoretype": os.environ.get("OPENBLAS_CORETYPE"), "java": os.environ.get("JAVA_VERSION"),
          "models": {}}
for m in models:
    java, torch = [], []
    for r in range(1, rounds + 1):
        line = open(f"{tmp}/java-{m}-{r}.txt").read()
        java.append(float(re.search(r"([0-9.]+) tokens/s", line).group(1)))
        t = json.loads(open(f"{tmp}/torch-{m}-{r}.json").read())
        torch.append(t["tokensPerSecond"])
        result["torchVersion"], result["torchBlas"] = t["version"], t["blas"]
    ratios = [j / t for j, t in zip(java, torch)]
    result["models"][m] = {"javaTokensPerSecond": java, "torchTokensPerSecond": torch,
                           "javaOverTorchPerRound": [round(x, 3) for x in ratios],
                           "javaOverTorch": round(statistics.median(ratios), 3)}
    print(f"{m}: Java {statistics.median(java):.0f} tokens/s, PyTorch {statistics.median(torch):.0f} tokens/s,"
          f" Java/PyTorch {statistics.median(ratios):.2f} (rounds: {', '.join(f'{x:.2f}' for x in ratios)})")
with open(out, "w") as f:
    json.dump(result, f, indent=2)
print("wrote", out)
PYEOF
