"""A stand-in for pyperf inside one process: the part of its API that
pyperformance's benchmark bodies use (Runner.bench_func, bench_time_func,
argparser, parse_args, metadata; perf_counter).

pyperf itself spawns worker processes and calibrates in them, which a WASI
guest cannot do; bench/interp/harness.py sets `config` and runs a body as
__main__, and each bench_* call here times it in this process.  The loop
count comes from the harness (calibrated once on native CPython, then the same
for every engine, so each engine does the same work)."""

import argparse
import sys
import time

perf_counter = time.perf_counter


class Config:
    loops = 1  # outer loops per value (pyperf's "loops")
    warmups = 1  # values run and dropped first
    values = 3  # values kept
    calibrate = None  # seconds: find the loops that make one value take this long
    results = []  # (name, loops, inner_loops, [seconds per inner loop...])


config = Config()


def _calibrate(run_loops):
    loops = 1
    while True:
        if run_loops(loops) >= config.calibrate or loops >= 2 ** 20:
            return loops
        loops *= 2


def _measure(name, run_loops, inner_loops):
    inner = inner_loops or 1
    loops = _calibrate(run_loops) if config.calibrate else config.loops
    for _ in range(config.warmups):
        run_loops(loops)
    values = [run_loops(loops) / (loops * inner) for _ in range(config.values)]
    config.results.append((name, loops, inner, values))


class Runner:
    def __init__(self, *args, add_cmdline_args=None, **kwargs):
        self.metadata = {}
        self.argparser = argparse.ArgumentParser()
        self._args = None

    def parse_args(self, args=None):
        if self._args is None:
            self._args = self.argparser.parse_args(sys.argv[1:] if args is None else args)
        return self._args

    def bench_time_func(self, name, time_func, *args, inner_loops=None, **kwargs):
        self.parse_args()
        _measure(name, lambda loops: time_func(loops, *args), inner_loops)

    def bench_func(self, name, func, *args, inner_loops=None, **kwargs):
        self.parse_args()

        def run_loops(loops):
            t0 = perf_counter()
            for _ in range(loops):
                func(*args)
            return perf_counter() - t0

        _measure(name, run_loops, inner_loops)

    def bench_async_func(self, name, func, *args, inner_loops=None, **kwargs):
        import asyncio
        self.bench_func(name, lambda: asyncio.run(func(*args)), inner_loops=inner_loops)
