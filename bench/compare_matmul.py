#!/usr/bin/env python3
"""Merge Java (BenchReport matmul) and numpy (numpy_matmul.py) JSON files into one comparison.

    python3 bench/compare_matmul.py --java J1.json [J2.json ...] --numpy N1.json [N2.json ...] \
        [--extra EXTRA.json] --out OUT.json

--java: files with `gemm` results (run-matmul.sh writes one per shape, measured between two
numpy runs of that shape). --numpy: numpy runs; per shape the best over all runs is the
reference, so the main ratio (Java JMH mean / numpy best) is the conservative one; the ratio of
bests (Java best iteration / numpy best repeat) is given too. --extra: a Java run holding
`reference`, `linearForward`, `linearBackward` and the `gemm` shapes they are compared with, all
in one JMH run. Prints Markdown tables and writes OUT.json.
"""
import argparse
import json
import math


def load(paths):
    out = []
    for p in paths:
        with open(p) as f:
            out.append(json.load(f))
    return out


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", nargs="+", required=True)
    ap.add_argument("--numpy", nargs="+", required=True)
    ap.add_argument("--extra")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    javas, numpys = load(args.java), load(args.numpy)

    gemm = {}
    for j in javas:
        for r in j["results"]:
            if r["benchmark"] == "gemm":
                gemm[r["shape"]] = r
    order = list(numpys[0]["shapes"].keys())
    for n in numpys[1:]:
        order += [s for s in n["shapes"] if s not in order]

    shapes = {}
    for name in order:
        if name not in gemm:
            continue
        j = gemm[name]
        runs = [n["shapes"][name] for n in numpys if name in n["shapes"]]
        for r in runs:
            if (r["m"], r["k"], r["n"]) != (j["m"], j["k"], j["n"]):
                raise SystemExit(f"shape {name} differs between Java and numpy")
        np_best = max(r["gflops"] for r in runs)
        shapes[name] = {
            "m": j["m"], "k": j["k"], "n": j["n"],
            "java_gflops": j["gflops"],
            "java_gflops_iter_min": j["gflops_iter_min"],
            "java_gflops_iter_max": j["gflops_iter_max"],
            "numpy_gflops": np_best,
            "numpy_gflops_best_per_run": [r["gflops"] for r in runs],
            "numpy_gflops_median_per_run": [r["gflops_median"] for r in runs],
            "ratio": j["gflops"] / np_best,
            "ratio_best_over_best": j["gflops_iter_max"] / np_best,
        }

    extra = {}
    if args.extra:
        (x,) = load([args.extra])
        xg = {r["shape"]: r for r in x["results"] if r["benchmark"] == "gemm"}
        for r in x["results"]:
            b, s = r["benchmark"], r["shape"]
            if b == "reference":
                t = xg.get(s)
                extra["reference_vs_tiled_" + s] = {
                    "reference_gflops": r["gflops"], "reference_us_per_call": r["us_per_call"],
                    "tiled_gflops": t and t["gflops"], "tiled_us_per_call": t and t["us_per_call"],
                    "speedup": t and t["gflops"] / r["gflops"],
                }
            elif b == "linearBackward":
                dw, din = xg.get(s + "_dW"), xg.get(s + "_dIn")
                g = dw and din and dw["us_per_call"] + din["us_per_call"]
                extra["linearBackward_" + s] = {
                    "us_per_call": r["us_per_call"], "gemm_dW_plus_dIn_us": g,
                    "non_gemm_fraction": g and (r["us_per_call"] - g) / r["us_per_call"],
                    "effective_gflops": r["gflops"],
                }
            elif b == "gemmInPlace":
                np_best = shapes.get(s, {}).get("numpy_gflops")
                extra["inPlace_" + s] = {
                    "gflops": r["gflops"], "us_per_call": r["us_per_call"],
                    "plain_layout_gflops": xg.get(s) and xg[s]["gflops"],
                    "ratio_to_numpy": np_best and r["gflops"] / np_best,
                }
            elif b == "linearForward":
                g = xg.get(s)
                extra["linearForward_" + s] = {
                    "us_per_call": r["us_per_call"], "gemm_us": g and g["us_per_call"],
                    "non_gemm_fraction": g and (r["us_per_call"] - g["us_per_call"]) / r["us_per_call"],
                    "effective_gflops": r["gflops"],
                }

    ratios = [s["ratio"] for s in shapes.values()]
    doc = {
        "meta": {"java": [j["meta"] for j in javas][:1], "numpy": [n["meta"] for n in numpys][:1],
                 "java_files": len(javas), "numpy_files": len(numpys)},
        "summary": {
            "shapes": len(shapes),
            "ratio_min": min(ratios) if ratios else None,
            "ratio_max": max(ratios) if ratios else None,
            "ratio_geomean": geomean(ratios),
            "ratio_best_over_best_geomean": geomean([s["ratio_best_over_best"] for s in shapes.values()]),
            "shapes_below_55_percent": [k for k, s in shapes.items() if s["ratio"] < 0.55],
        },
        "shapes": shapes,
        "java_extra": extra,
    }
    with open(args.out, "w") as f:
        f.write(json.dumps(doc, indent=2) + "\n")

    print("| shape | M×K×N | Java GFLOP/s (iterations min–max) | numpy GFLOP/s (best per run) | Java/numpy | best/best |")
    print("|---|---|--:|--:|--:|--:|")
    for name, s in shapes.items():
        runs = " / ".join(f"{v:.1f}" for v in s["numpy_gflops_best_per_run"])
        print(f"| {name} | {s['m']}×{s['k']}×{s['n']} | {s['java_gflops']:.1f} ({s['java_gflops_iter_min']:.1f}–"
              f"{s['java_gflops_iter_max']:.1f}) | {s['numpy_gflops']:.1f} ({runs}) | {s['ratio']:.0%} | "
              f"{s['ratio_best_over_best']:.0%} |")
    sm = doc["summary"]
    if ratios:
        print(f"\nJava/numpy: min {sm['ratio_min']:.0%}, max {sm['ratio_max']:.0%}, geomean {sm['ratio_geomean']:.0%} "
              f"(best/best geomean {sm['ratio_best_over_best_geomean']:.0%}); "
              f"below 55%: {', '.join(sm['shapes_below_55_percent']) or 'none'}")
    for k, v in extra.items():
        print(k, json.dumps({a: (round(b, 3) if isinstance(b, float) else b) for a, b in v.items()}))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
