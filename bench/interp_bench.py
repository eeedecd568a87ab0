#!/usr/bin/env python3
"""bench/interp_bench.py - interpreter speed and start-up of python.wasm in
each engine against native CPython of the same version and source.

  interp     pyperformance's pure-Python benchmark bodies (BENCHMARKS, from
             the pinned PyPI sdist), run in one process per engine by
             bench/interp/harness.py with a one-process stand-in for pyperf;
             time per loop, ratio to native, geometric mean
  pystart    `python -c pass` wall time, and `node -e 0` for reference
  pyimport   `python -c "import ssl, socket, http.client, json, asyncio"`
  pyrss      peak RSS of `python -c pass` (the process, engine included)
  *-snap     the start-up rows again with the pre-initialised
             python-snapshot.wasm (wasisock-python --snapshot), which resumes
             runs with PYTHONHASHSEED=0: those rows set it for every column
  *-cpu      pystart and pyimport in CPU time (user + system of the process
             and its threads), which a busy machine inflates far less than
             wall time
  --cpu      the interp rows in CPU time too: each benchmark in a process
             of its own, once with L loops and once with 5L; the difference
             of the two processes' CPU times over 4L is the time per loop
             (start-up, imports and compilation cancel out).  On a shared
             machine this is the figure to read; wall time per loop (the
             default) is what pyperf reports

The columns are engines: native CPython 3.13 (scripts/cpython-native.sh: the
same Debian source package and version as python.wasm, configured alike;
build/python-native), then python.wasm under build/bin/wasisock-python with
each engine it runs (--engine NAME; a launcher without --engine is node's).  The loop count of each benchmark is
calibrated once on native CPython (one value >= --calibrate seconds) and is
then the same for every engine: each does the same work.  Every repetition
runs every column once, in rotating order; the table shows medians of all
values (warm-up values dropped).

    bench/interp_bench.py [--build DIR] [--reps N] [--cpu] [--quick] [--markdown]

As a library (for bench/bench.py): programs(build), measure(prog, ...),
rows(res) and table(rows).
"""

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HARNESS = os.path.join(HERE, "interp", "harness.py")

# The benchmark bodies: PyPI's pyperformance sdist, pinned by version and
# SHA-256 (pip checks it), unpacked once into the cache.
PYPERFORMANCE = "1.11.0"
PYPERFORMANCE_SHA256 = "00a4f4ed08822e19939aea5f337583ad2b4fb3c2a5b3ff917ae4dfed15a4a984"
# Pure-Python bodies that need nothing outside the standard library and no
# data files.  (json_* and regex_v8 also exercise C modules: _json, _sre.)
BENCHMARKS = ("chaos", "deltablue", "fannkuch", "float", "go", "hexiom", "json_dumps",
              "json_loads", "nbody", "nqueens", "pidigits", "raytrace", "regex_v8",
              "richards", "spectral_norm", "unpack_sequence")
IMPORTS = "import ssl, socket, http.client, json, asyncio"

# Columns: native first, then python.wasm per engine (title).
ENGINES = {"node": "python.wasm node", "wasmtime": "python.wasm wasmtime"}
NATIVE = "native"
TITLES = {NATIVE: "native CPython 3.13", **ENGINES}
SNAPSHOT_ENV = {"PYTHONHASHSEED": "0"}  # the runs python-snapshot.wasm resumes
# Every column runs without the caller's PYTHON* variables (PYTHONUNBUFFERED,
# say, changes how both Pythons start, and a snapshot cannot resume it).
BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
# Targets (issue 14), engine -> limit.  Interpreter: geometric mean of the
# time ratios; start-up: ratio to native, or for node `node -e 0` + 60 ms.
TARGETS = {
    "interp": {"wasmtime": 1.5},
    "pystart": {"wasmtime": 2.0, "node": "node+60"},
    "pyimport": {"wasmtime": 3.0},
}


class BenchError(Exception):
    pass


def cache_dir():
    root = os.environ.get("WASISOCK_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "wasisock")
    return os.path.join(root, "pyperformance", PYPERFORMANCE)


EXTRACT_FILTER = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}


def benchmarks_dir():
    """The unpacked benchmarks of the pinned sdist (downloaded once with pip)."""
    d = cache_dir()
    bench = os.path.join(d, "benchmarks")
    if os.path.isdir(bench):
        return bench
    os.makedirs(d, exist_ok=True)
    req = os.path.join(d, "requirements.txt")
    with open(req, "w") as f:
        f.write(f"pyperformance=={PYPERFORMANCE} --hash=sha256:{PYPERFORMANCE_SHA256}\n")
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
           "--require-hashes", "-r", req, "-d", d]
    r = subprocess.run(pip, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tgz = os.path.join(d, f"pyperformance-{PYPERFORMANCE}.tar.gz")
    if r.returncode != 0 or not os.path.exists(tgz):
        raise BenchError(f"could not download pyperformance {PYPERFORMANCE}:\n{r.stdout.decode()}")
    prefix = f"pyperformance-{PYPERFORMANCE}/pyperformance/data-files/benchmarks/"
    tmp = bench + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    with tarfile.open(tgz) as t:
        for m in t.getmembers():
            if m.name.startswith(prefix) and m.isfile():
                m.name = m.name[len(prefix):]
                # The "data" filter exists from Python 3.11.4 (Debian 12's
                # python3 is 3.11.2): without it, refuse what it would.
                if os.path.isabs(m.name) or ".." in m.name.split("/"):
                    raise BenchError(f"{tgz}: unsafe member {m.name!r}")
                t.extract(m, tmp, **EXTRACT_FILTER)
    os.rename(tmp, bench)
    return bench


def native_python(build):
    """The native CPython 3.13 of python.wasm's own source (scripts/cpython-native.sh):
    the baseline of every python.wasm-per-engine row, and of bench.py's start-up row."""
    b = os.path.abspath(build)
    native = os.path.join(b, "python-native", "bin", "python3.13")
    if not os.access(native, os.X_OK):
        raise BenchError(f"{native} is missing: build first (bench/run.sh builds; or cmake --build {b})")
    return native


def programs(build):
    """{column: command prefix running python} for the columns that exist."""
    b = os.path.abspath(build)
    launcher = os.path.join(b, "bin", "wasisock-python")
    prog = {NATIVE: [native_python(b)]}
    for engine in ENGINES:
        if _works([launcher, "--engine", engine, "-c", "pass"]):
            prog[engine] = [launcher, "--engine", engine]
    if "node" not in prog and _works([launcher, "-c", "pass"]):
        prog["node"] = [launcher]  # a launcher from before --engine: node's
    if len(prog) == 1:
        raise BenchError(f"{launcher} runs no python.wasm: build first")
    return prog


def _works(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=BASE_ENV, timeout=600).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def has_snapshot(prog):
    return _works(prog[[c for c in prog if c != NATIVE][0]] + ["--snapshot", "-c", "pass"])


def _children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run(cmd, timeout=1800, env=None):
    """Runs cmd (with env added to ours); returns (stdout, wall seconds, CPU
    seconds of the process and its threads)."""
    c0 = _children_cpu()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=dict(BASE_ENV, **(env or {})))
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise BenchError(f"{' '.join(cmd)}: no exit within {timeout} s")
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise BenchError(f"{' '.join(cmd)}: exit {p.returncode}\n{err.decode(errors='replace')}")
    return out.decode(), wall, _children_cpu() - c0


def run_rss(cmd, env=None):
    """Peak RSS (KiB) of cmd and its threads, from the kernel's rusage."""
    pid = os.posix_spawnp(cmd[0], cmd, dict(BASE_ENV, **(env or {})),
                          file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, ru = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise BenchError(f"{' '.join(cmd)}: exit {os.waitstatus_to_exitcode(status)}")
    return ru.ru_maxrss


def harness_cmd(prog, col, bench_dir, args):
    cmd = list(prog[col])
    if col != NATIVE:
        cmd += ["--dir", bench_dir]  # the guest reads the benchmark files
    return cmd + [HARNESS, bench_dir] + args


def parse_harness(out):
    res = {}
    for line in out.splitlines():
        if line.startswith("{"):
            d = json.loads(line)
            res[d["bench"]] = d
    return res


def rotate(seq, k):
    k %= len(seq)
    return list(seq[k:]) + list(seq[:k])


def measure(prog, reps=3, calibrate=0.1, values=3, quick=False, only=("interp", "pystart"),
            progress=None, cpu=False):
    """{bench: {column: [samples]}}; interp rows are named interp:NAME (seconds
    per loop: wall time, or with cpu CPU time by the two-length difference),
    pystart/pyimport in ms, pyrss in MiB."""
    progress = progress or (lambda *a: None)
    cols = list(prog)
    res = {}
    if "interp" in only:
        bench_dir = benchmarks_dir()
        if quick:  # one loop, one value: checks every body runs everywhere
            args = ["--loops", "", "--warmups", "0", "--values", "1"]
        else:
            out, _, _ = _run(harness_cmd(prog, NATIVE, bench_dir,
                                            ["--calibrate", str(calibrate), "--warmups", "0", "--values", "1",
                                             *BENCHMARKS]))
            calibrated = {k: v["loops"] for k, v in parse_harness(out).items()}
            loops = ",".join(f"{k}={v}" for k, v in calibrated.items())
            args = ["--loops", loops, "--warmups", "1", "--values", str(values)]
        for name in BENCHMARKS:
            res[f"interp:{name}"] = {c: [] for c in cols}
        for r in range(reps if cpu and not quick else 0):
            # CPU time per loop: processes of L and 5L loops, one value each.
            for c in rotate(cols, r):
                for name in BENCHMARKS:
                    n = calibrated[name]
                    got = []
                    for k in (1, 5):
                        out, _, t = _run(harness_cmd(prog, c, bench_dir, [
                            "--loops", f"{name}={k * n}", "--warmups", "0", "--values", "1", name]))
                        got.append((t, parse_harness(out)[name]["inner"]))
                    res[f"interp:{name}"][c].append((got[1][0] - got[0][0]) / (4 * n * got[0][1]))
            progress("interp (CPU)", r + 1, reps)
        for r in range(0 if cpu and not quick else reps):
            for c in rotate(cols, r):
                out, _, _ = _run(harness_cmd(prog, c, bench_dir, args + list(BENCHMARKS)))
                got = parse_harness(out)
                for name in BENCHMARKS:
                    if name not in got:
                        raise BenchError(f"{c}: no result for {name}")
                    res[f"interp:{name}"][c] += got[name]["values"]
            progress("interp", r + 1, reps)
    if "pystart" in only:
        # (row suffix, launcher arguments, environment): plain python.wasm,
        # then the snapshot where there is one.
        kinds = [("", ["--no-snapshot"] if has_snapshot(prog) else [], None)]
        if kinds[0][1]:
            kinds.append(("-snap", ["--snapshot"], SNAPSHOT_ENV))
        runs = {"pystart": ["-c", "pass"], "pyimport": ["-c", IMPORTS]}
        for c in cols:
            for _, extra, env in kinds:
                if c != NATIVE:  # a launcher's code cache is written by its first run
                    _run(prog[c] + extra + ["-c", "pass"], env=env)
        node = shutil.which("node")
        for suffix, _, _ in kinds:
            res["pystart" + suffix] = {c: [] for c in cols + (["node-e0"] if node else [])}
            res["pyimport" + suffix] = {c: [] for c in cols}
            res["pyrss" + suffix] = {c: [] for c in cols}
            res["pystart-cpu" + suffix] = {c: [] for c in cols}
            res["pyimport-cpu" + suffix] = {c: [] for c in cols}
        n = reps if quick else max(reps, 7)
        for r in range(n):
            for c in rotate(cols, r):
                for suffix, extra, env in kinds:
                    cmd = prog[c] + (extra if c != NATIVE else [])
                    for name, args in runs.items():
                        _, wall, t = _run(cmd + args, env=env)
                        res[name + suffix][c].append(wall * 1e3)
                        res[name + "-cpu" + suffix][c].append(t * 1e3)
                    res["pyrss" + suffix][c].append(run_rss(cmd + ["-c", "pass"], env=env) / 1024)
            if node:
                t = _run([node, "-e", "0"])[1] * 1e3
                for suffix, _, _ in kinds:
                    res["pystart" + suffix]["node-e0"].append(t)
            progress("pystart", r + 1, n)
    return res


UNITS = {
    "pystart": ("start-up `-c pass`", "ms", "{:.0f}"),
    "pyimport": ("`import ssl, socket, http.client, json, asyncio`", "ms", "{:.0f}"),
    "pyrss": ("peak RSS of `-c pass`", "MiB", "{:.0f}"),
    "pystart-cpu": ("start-up `-c pass`, CPU time", "ms", "{:.0f}"),
    "pyimport-cpu": ("`import ssl, socket, http.client, json, asyncio`, CPU time", "ms", "{:.0f}"),
}
for _k, (_l, _u, _f) in list(UNITS.items()):
    UNITS[_k + "-snap"] = (_l + ", snapshot (PYTHONHASHSEED=0)", _u, _f)


def _target_text(name, engine, med):
    t = TARGETS.get(name.removesuffix("-snap"), {}).get(engine)
    if t is None:
        return "", None
    ratio = med[engine] / med[NATIVE]
    if t == "node+60":
        base = med.get("node-e0")
        if base is None:
            return "", None
        return f"≤ node -e 0 + 60 ms ({base + 60:.0f} ms)", med[engine] <= base + 60
    return f"≤ {t}×", ratio <= t


def rows(res):
    """[(label, unit, fmt, {column: median}, {engine: ratio text}, [target texts], met)]."""
    out = []
    engines = [e for e in ENGINES if any(e in v for v in res.values())]
    ratios = {e: [] for e in engines}
    for key in sorted(k for k in res if k.startswith("interp:")):
        med = {c: statistics.median(v) * 1e3 for c, v in res[key].items() if v}
        rt = {}
        for e in engines:
            if e in med and NATIVE in med:
                ratios[e].append(med[e] / med[NATIVE])
                rt[e] = f"{med[e] / med[NATIVE]:.2f}×"
        out.append((key.split(":", 1)[1], "ms", "{:.4g}", med, rt, [], None))
    if any(ratios.values()):
        geo = {e: math.exp(sum(map(math.log, r)) / len(r)) for e, r in ratios.items() if r}
        targets, met = [], None
        for e, g in geo.items():
            t = TARGETS["interp"].get(e)
            if t is not None:
                targets.append(f"{e} ≤ {t}×")
                met = (met is not False) and g <= t
        out.append(("geometric mean", "ratio", "{:.2f}", {}, {e: f"**{g:.2f}×**" for e, g in geo.items()},
                    targets, met))
    for name in ("pystart", "pystart-cpu", "pyimport", "pyimport-cpu", "pyrss", "pystart-snap",
                 "pystart-cpu-snap", "pyimport-snap", "pyimport-cpu-snap", "pyrss-snap"):
        if name not in res:
            continue
        label, unit, fmt = UNITS[name]
        med = {c: statistics.median(v) for c, v in res[name].items() if v}
        rt, targets, met = {}, [], None
        for e in engines:
            if e in med and NATIVE in med:
                rt[e] = f"{med[e] / med[NATIVE]:.2f}×"
                text, ok = _target_text(name, e, med)
                if text:
                    targets.append(f"{e} {text}")
                    met = (met is not False) and ok
        if name in ("pystart", "pystart-snap") and "node-e0" in med:
            label += f" (`node -e 0`: {med['node-e0']:.0f} ms)"
        out.append((label, unit, fmt, med, rt, targets, met))
    return out


def table(rws, markdown=False):
    engines = [e for e in ENGINES if any(e in r[3] or e in r[4] for r in rws)]
    cols = [NATIVE] + engines
    head = (["benchmark", "unit"] + [TITLES[c] for c in cols] + [f"{e} vs native" for e in engines] +
            ["target", "met"])
    body = []
    for label, unit, fmt, med, rt, targets, met in rws:
        body.append([label, unit] + [fmt.format(med[c]) if c in med else "—" for c in cols] +
                    [rt.get(e, "—") for e in engines] +
                    ["; ".join(targets) or "—", "" if met is None else ("yes" if met else "NO")])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(out)
    body = [[c.replace("**", "") for c in r] for r in body]
    widths = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head))]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip()
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in body])


def main(argv):
    p = argparse.ArgumentParser(prog="bench/interp_bench.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--build", default=os.environ.get("WASISOCK_BUILD_DIR", os.path.join(ROOT, "build")))
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--calibrate", type=float, default=0.1,
                   help="seconds one value takes on native CPython (default 0.1)")
    p.add_argument("--values", type=int, default=3, help="values per process after one warm-up (default 3)")
    p.add_argument("--only", default="interp,pystart")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--cpu", action="store_true",
                   help="interpreter rows in CPU time per loop (two process lengths) instead of wall time")
    p.add_argument("--markdown", action="store_true")
    p.add_argument("--json", default=None)
    a = p.parse_args(argv)
    if a.quick:
        a.reps = 1

    def progress(name, r, n):
        sys.stderr.write(f"\rbench: {name} {r}/{n}   " + ("\n" if r == n else ""))

    try:
        res = measure(programs(a.build), a.reps, a.calibrate, a.values, a.quick, a.only.split(","), progress,
                      cpu=a.cpu)
    except BenchError as e:
        sys.stderr.write(f"\nbench: {e}\n")
        return 1
    print(table(rows(res), a.markdown))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"args": vars(a), "samples": res}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
