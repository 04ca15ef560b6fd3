#!/usr/bin/env bash
# One full reference training step of the small model (JMH AverageTime: steps back to back, 3 s
# iterations, each iteration's mean ms/step). SingleShotTime (one step per iteration, the
# earlier default) measured 464 ms/step against 307 ms in AverageTime and in StepLoop's plain
# loop on the same jar (2026-12-03; the pause between single shots costs the next step, cause not
# pinned down), so steady state is measured in AverageTime.
# Writes bench/results/train-step.json (+ .log). Usage: bench/run-train-step.sh [JMH options]
# Environment: JMH_OPTS (default "-bm avgt -tu ms -wi 5 -i 10 -w 3s -r 3s -f 1"), BUILD=1 to
#              rebuild the bench jar first.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
OUT=bench/results
mkdir -p "$OUT"
if [[ "${BUILD:-0}" == 1 || ! -f "$JAR" ]]; then
  mvn -q -B -pl bench package -DskipTests
fi
JMH_OPTS=${JMH_OPTS:-"-bm avgt -tu ms -wi 5 -i 10 -w 3s -r 3s -f 1"}
echo "== load before: $(cat /proc/loadavg)"
# shellcheck disable=SC2086
if ! java -cp "$JAR" io.elaswave.bench.BenchReport train "$OUT/train-step.json" $JMH_OPTS "$@" \
    >"$OUT/train-step.log" 2>&1; then
  tail -40 "$OUT/train-step.log"
  exit 1
fi
grep -E 'tokens/s|^# Warmup Iteration|^Iteration' "$OUT/train-step.log"
echo "== load after: $(cat /proc/loadavg)"
