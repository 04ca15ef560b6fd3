#!/usr/bin/env bash
# Java (JMH, Gemm) vs numpy (OpenBLAS, 1 thread) on the small model's matmul shapes.
# The machine is shared and noisy, so each shape is measured back to back: numpy, Java, numpy
# (the better numpy run is the reference). Then one JMH run of GemmReference, Linear.forward /
# backward and the Gemm shapes they are compared with. Writes bench/results/matmul.json (and the
# raw parts under bench/results/matmul-parts/).
# Usage: bench/run-matmul.sh            (about 5-6 minutes)
# Environment: SHAPES (default: all 15), JMH_OPTS (default "-wi 3 -i 5 -f 1 -w 1s -r 1s"),
#              NUMPY_OPTS (default "--repeats 7 --min-time 0.2"), EXTRA=0 to skip the extra run,
#              BUILD=1 to rebuild the bench jar first.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/target/benchmarks.jar
OUT=bench/results
PARTS=$OUT/matmul-parts
if [[ "${BUILD:-0}" == 1 || ! -f "$JAR" ]]; then
  mvn -q -B -pl bench package -DskipTests
fi
SHAPES=${SHAPES:-"qkv attn_proj fc proj head qkv_dW qkv_dIn attn_proj_dW attn_proj_dIn fc_dW fc_dIn proj_dW proj_dIn head_dW head_dIn"}
JMH_OPTS=${JMH_OPTS:-"-wi 3 -i 5 -f 1 -w 1s -r 1s"}
NUMPY_OPTS=${NUMPY_OPTS:-"--repeats 7 --min-time 0.2"}
rm -rf "$PARTS"
mkdir -p "$PARTS"

numpy() { # numpy SHAPE OUT.json
  # shellcheck disable=SC2086
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
    python3 bench/numpy_matmul.py "$2" --shapes "$1" $NUMPY_OPTS 2>&1 | { grep -v '^numpy [0-9]' || true; }
  [[ -s "$2" ]]
}

java_report() { # java_report OUT.json JMH-args...
  local out=$1; shift
  # shellcheck disable=SC2086
  if ! java -cp "$JAR" io.elaswave.bench.BenchReport matmul "$out" $JMH_OPTS "$@" >"${out%.json}.log" 2>&1; then
    tail -40 "${out%.json}.log"
    return 1
  fi
  grep -E 'GFLOP/s' "${out%.json}.log"
}

echo "== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 -c \
  'import sys; sys.path.insert(0, "bench"); import numpy, numpy_matmul as m; i = m.blas_info(numpy); print("numpy", numpy.__version__, "|", i.get("openblas_config"), "| core", i.get("openblas_corename"), "| threads", i.get("openblas_num_threads"), "| threadpoolctl", "yes" if i.get("threadpoolctl") is not None else "not installed")'
for s in $SHAPES; do
  numpy "$s" "$PARTS/numpy-$s-1.json"
  java_report "$PARTS/java-$s.json" 'MatmulBench\.gemm$' -p shape="$s"
  numpy "$s" "$PARTS/numpy-$s-2.json"
done
EXTRA_ARGS=()
if [[ "${EXTRA:-1}" == 1 ]]; then
  echo "== reference kernel, Linear.forward/backward, their Gemms and the in-place backward forms, one JMH run"
  java_report "$PARTS/java-extra.json" 'MatmulBench\.(gemm|gemmInPlace|reference|linearForward|linearBackward)$' \
    -p shape=attn_proj,fc,proj,fc_dW,fc_dIn,proj_dW,proj_dIn
  EXTRA_ARGS=(--extra "$PARTS/java-extra.json")
fi
echo "== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
java_files=()
numpy_files=()
for s in $SHAPES; do
  java_files+=("$PARTS/java-$s.json")
  numpy_files+=("$PARTS/numpy-$s-1.json" "$PARTS/numpy-$s-2.json")
done
python3 bench/compare_matmul.py --java "${java_files[@]}" --numpy "${numpy_files[@]}" "${EXTRA_ARGS[@]}" \
  --out "$OUT/matmul.json"
