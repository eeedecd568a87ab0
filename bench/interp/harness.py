"""Runs pyperformance benchmark bodies in this process and prints one JSON
line per benchmark: {"bench", "loops", "inner", "values": [seconds per
inner loop, ...]}.  The same file runs under native CPython and inside
python.wasm (bench/interp_bench.py drives it).

  harness.py BENCHDIR [--calibrate S | --loops NAME=N,...]
             [--warmups N] [--values N] NAME...

BENCHDIR holds pyperformance's bm_NAME/run_benchmark.py.  Each body runs as
__main__ with this directory's pyperf.py (a one-process stand-in for pyperf)
as its pyperf module.  --calibrate S doubles the loops until one value
takes S seconds and reports the loops found; --loops fixes them."""

import argparse
import gc
import json
import os
import runpy
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyperf  # noqa: E402  (the stand-in, found first)


def main(argv):
    p = argparse.ArgumentParser(prog="harness.py")
    p.add_argument("benchdir")
    p.add_argument("names", nargs="+")
    p.add_argument("--calibrate", type=float, default=None)
    p.add_argument("--loops", default="", help="NAME=N,... (default 1)")
    p.add_argument("--warmups", type=int, default=1)
    p.add_argument("--values", type=int, default=3)
    a = p.parse_args(argv)
    loops = dict((k, int(v)) for k, v in (kv.split("=") for kv in a.loops.split(",") if kv))
    # Some bodies use APIs 3.13 deprecates (regex_v8: re.sub's positional
    # count); the warnings would only be noise on stderr.
    warnings.simplefilter("ignore", DeprecationWarning)
    cfg = pyperf.config
    cfg.calibrate, cfg.warmups, cfg.values = a.calibrate, a.warmups, a.values
    for name in a.names:
        path = os.path.join(a.benchdir, f"bm_{name}", "run_benchmark.py")
        cfg.loops = loops.get(name, 1)
        cfg.results = []
        sys.argv = [path]
        gc.collect()
        runpy.run_path(path, run_name="__main__")
        if len(cfg.results) != 1:
            raise SystemExit(f"harness: {path} ran {len(cfg.results)} benchmarks, expected 1")
        _, n, inner, values = cfg.results[0]
        print(json.dumps({"bench": name, "loops": n, "inner": inner, "values": values}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
