#!/usr/bin/env python3
"""Where a JFR recording's CPU samples fall: self and inclusive shares per method.

    python3 bench/jfr_top.py RECORDING.jfr [TOP]

Uses `jfr print --json --events jdk.ExecutionSample` (the JDK's jfr tool). Frames are
attributed as JFR records them (inlined methods count as their own frames).
"""
import collections
import json
import subprocess
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    raw = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", sys.argv[1]],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]

    def name(frame):
        m = frame["method"]
        return m["type"]["name"].replace("/", ".").split(".")[-1] + "." + m["name"]

    self_c, incl_c = collections.Counter(), collections.Counter()
    for e in events:
        frames = e["values"]["stackTrace"]["frames"]
        if not frames:
            continue
        self_c[name(frames[0])] += 1
        for n in {name(f) for f in frames}:
            incl_c[n] += 1
    total = len(events)
    print(f"{total} samples")
    print("\nself (top frame):")
    for k, v in self_c.most_common(top_n):
        print(f"  {v / total:6.1%}  {k}")
    print("\ninclusive (method anywhere on the stack):")
    for k, v in incl_c.most_common(top_n):
        print(f"  {v / total:6.1%}  {k}")


if __name__ == "__main__":
    main()
