#!/usr/bin/env bash
# How often a fresh JVM compiles the engine's vector kernels without their intrinsics (the
# vectors are then boxed on the heap: gigabytes a step, ~1.5x slower). Runs StepLoop N times on
# each JDK, interleaved (17, other, 17, other, ...), and counts the JVMs whose steady step
# allocated more than 64 MB. Writes bench/results/boxing-probe.json.
# Usage: bench/run-boxing-probe.sh [RUNS] [OTHER_JAVA_HOME]   (defaults: 8, the newest Temurin)
#        MODEL=base STEPS=8 (each run ~25 s on base)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-8}
OTHER=${2:-$(ls -d /usr/lib/jvm/temurin-*-jdk-* 2>/dev/null | sort -V | tail -1)}
MODEL=${MODEL:-base}
STEPS=${STEPS:-8}
JAR=bench/target/benchmarks.jar
OUT=bench/results/boxing-probe.json
[[ -f "$JAR" ]] || mvn -q -B -pl bench -am package -DskipTests
[[ -x "$OTHER/bin/java" ]] || { echo "run-boxing-probe: no second JDK (give its JAVA_HOME)" >&2; exit 2; }
javas=("$(command -v java)" "$OTHER/bin/java")
rows=()
for ((i = 1; i <= RUNS; i++)); do
  for j in "${javas[@]}"; do
    version=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
    line=$("$j" --add-modules jdk.incubator.vector -Xmx3g -XX:+UseParallelGC -cp "$JAR" \
      io.elaswave.bench.StepLoop "$STEPS" "$MODEL" 2>/dev/null | tail -1)
    # "median of steps 5-8: 1672.8 ms/step, 2449 tokens/s, alloc 0.39 MB/step, gc 0.00% of step time"
    ms=$(sed -E 's/.*: ([0-9.]+) ms\/step.*/\1/' <<<"$line")
    mb=$(sed -E 's/.*alloc ([0-9.]+) MB\/step.*/\1/' <<<"$line")
    echo "run $i java $version: $ms ms/step, $mb MB/step"
    rows+=("{\"run\": $i, \"java\": \"$version\", \"msPerStep\": $ms, \"allocMbPerStep\": $mb}")
  done
done
{
  echo "{\"model\": \"$MODEL\", \"steps\": $STEPS, \"boxedAboveMb\": 64, \"runs\": ["
  for ((k = 0; k < ${#rows[@]}; k++)); do
    sep=","; ((k == ${#rows[@]} - 1)) && sep=""
    echo "  ${rows[$k]}$sep"
  done
  echo "]}"
} >"$OUT"
python3 - "$OUT" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
by = {}
for r in d["runs"]:
    by.setdefault(r["java"], []).append(r)
for v, rs in by.items():
    boxed = [r for r in rs if r["allocMbPerStep"] > d["boxedAboveMb"]]
    clean = [r["msPerStep"] for r in rs if r["allocMbPerStep"] <= d["boxedAboveMb"]]
    med = statistics.median(clean) if clean else float("nan")
    print(f"java {v}: {len(boxed)} of {len(rs)} JVMs boxed; median step of the others {med:.0f} ms")
PY
