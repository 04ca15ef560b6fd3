#!/usr/bin/env bash
# One full reference training step of the small model (JMH SingleShotTime, one step per iteration).
# Writes bench/results/train-step.json (+ .log). Usage: bench/run-train-step.sh [JMH options]
# Environment: JMH_OPTS (default "-wi 15 -i 15 -f 1"), BUILD=1 to rebuild the bench jar first.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
OUT=bench/results
mkdir -p "$OUT"
if [[ "${BUILD:-0}" == 1 || ! -f "$JAR" ]]; then
  mvn -q -B -pl bench package -DskipTests
fi
JMH_OPTS=${JMH_OPTS:-"-wi 15 -i 15 -f 1"}
echo "== load before: $(cat /proc/loadavg)"
# shellcheck disable=SC2086
if ! java -cp "$JAR" io.elaswave.bench.BenchReport train "$OUT/train-step.json" $JMH_OPTS "$@" \
    >"$OUT/train-step.log" 2>&1; then
  tail -40 "$OUT/train-step.log"
  exit 1
fi
grep -E 'tokens/s|^# Warmup Iteration|^Iteration' "$OUT/train-step.log"
echo "== load after: $(cat /proc/loadavg)"
