#!/usr/bin/env python3
"""numpy float32 `a @ b` on the matmul shapes of the `small` model (see MatmulShape.java).

Single-threaded: run as
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 python3 bench/numpy_matmul.py [OUT.json]

Each shape: out[M,N] = a[M,K] @ b[K,N] into a preallocated C-contiguous float32 `out`
(np.matmul(a, b, out=out), i.e. one sgemm call), operands uniform in [-1, 1). The number of
calls per repeat is calibrated so a repeat takes >= --min-time seconds; the figure is the best
repeat (GFLOP/s = 2*M*K*N*calls / seconds), the median is reported too. Writes JSON
(shape -> GFLOP/s) to OUT.json, or stdout when no path is given.
"""
import argparse
import ctypes
import datetime
import glob
import json
import os
import platform
import statistics
import sys
import time

# name: (M, K, N) -- identical to bench/src/main/java/io/elaswave/bench/MatmulShape.java
SHAPES = {
    "qkv": (512, 128, 384),
    "attn_proj": (512, 128, 128),
    "fc": (512, 128, 512),
    "proj": (512, 512, 128),
    "head": (512, 128, 65),
    "qkv_dW": (128, 512, 384),
    "qkv_dIn": (512, 384, 128),
    "attn_proj_dW": (128, 512, 128),
    "attn_proj_dIn": (512, 128, 128),
    "fc_dW": (128, 512, 512),
    "fc_dIn": (512, 512, 128),
    "proj_dW": (512, 512, 128),
    "proj_dIn": (512, 128, 512),
    "head_dW": (128, 512, 65),
    "head_dIn": (512, 65, 128),
}


def blas_info(np):
    """Which BLAS numpy calls and which kernel (core) it picked at run time."""
    info = {}
    try:
        import threadpoolctl  # optional; not required

        info["threadpoolctl"] = threadpoolctl.threadpool_info()
    except ImportError:
        info["threadpoolctl"] = None
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        info["numpy_blas_name"] = blas.get("name")
        info["numpy_blas_version"] = blas.get("version")
        info["numpy_blas_config"] = blas.get("openblas configuration")
    except Exception as e:  # older numpy
        info["numpy_blas_error"] = repr(e)
    # The OpenBLAS bundled in numpy's wheel: ask it directly for its config and core.
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*.so*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "")):
            try:
                corename = getattr(lib, prefix + "get_corename" + suffix)
                config = getattr(lib, prefix + "get_config" + suffix)
                threads = getattr(lib, prefix + "get_num_threads" + suffix)
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            config.restype = ctypes.c_char_p
            info["openblas_library"] = os.path.basename(path)
            info["openblas_corename"] = corename().decode()
            info["openblas_config"] = config().decode()
            info["openblas_num_threads"] = threads()
            break
    return info


def bench_shape(np, m, k, n, min_time, repeats, rng):
    a = rng.uniform(-1, 1, size=(m, k)).astype(np.float32)
    b = rng.uniform(-1, 1, size=(k, n)).astype(np.float32)
    out = np.empty((m, n), dtype=np.float32)
    for _ in range(5):  # warm-up: page in, let OpenBLAS allocate its buffers
        np.matmul(a, b, out=out)
    calls = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=out)
        dt = time.perf_counter() - t0
        if dt >= min_time:
            break
        calls = max(calls * 2, int(calls * min_time / max(dt, 1e-9) * 1.2))
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            np.matmul(a, b, out=out)
        times.append(time.perf_counter() - t0)
    flops = 2.0 * m * k * n * calls
    return {
        "m": m, "k": k, "n": n,
        "calls_per_repeat": calls,
        "repeats": repeats,
        "gflops": flops / min(times) / 1e9,
        "gflops_median": flops / statistics.median(times) / 1e9,
        "gflops_worst": flops / max(times) / 1e9,
        "us_per_call_best": min(times) / calls * 1e6,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out", nargs="?", help="JSON output path (default: stdout)")
    p.add_argument("--repeats", type=int, default=7)
    p.add_argument("--min-time", type=float, default=0.2, help="seconds per repeat (at least)")
    p.add_argument("--shapes", default=",".join(SHAPES), help="comma-separated shape names")
    args = p.parse_args()

    import numpy as np

    rng = np.random.default_rng(42)
    info = blas_info(np)
    if os.environ.get("OPENBLAS_NUM_THREADS") != "1":
        print("warning: OPENBLAS_NUM_THREADS is not 1; numpy may use several threads", file=sys.stderr)
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"warning: {var}={os.environ[var]} is set; it can slow OpenBLAS down", file=sys.stderr)
    print(f"numpy {np.__version__}, BLAS {info.get('numpy_blas_name')} {info.get('numpy_blas_version')}, "
          f"core {info.get('openblas_corename')}, threads {info.get('openblas_num_threads')}", file=sys.stderr)
    if info.get("threadpoolctl") is not None:
        for pool in info["threadpoolctl"]:
            print(f"threadpoolctl: {pool}", file=sys.stderr)

    results = {}
    for name in args.shapes.split(","):
        m, k, n = SHAPES[name]
        r = bench_shape(np, m, k, n, args.min_time, args.repeats, rng)
        results[name] = r
        print(f"numpy {name:<14} {m:>4}x{k:<4}x{n:<4} {r['gflops']:8.2f} GFLOP/s best "
              f"(median {r['gflops_median']:.2f}, worst {r['gflops_worst']:.2f})", file=sys.stderr)

    doc = {
        "meta": {
            "started_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "machine": platform.machine(),
            "env": {v: os.environ.get(v) for v in ("OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE",
                                                     "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS")},
            "blas": info,
            "loadavg": os.getloadavg(),
        },
        "shapes": results,
    }
    text = json.dumps(doc, indent=2) + "\n"
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
