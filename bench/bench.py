#!/usr/bin/env python3
"""bench/bench.py - the wasisock benchmarks, side by side (bench/run.sh runs it).

Runs on loopback, in one run, against the same native servers (bench-server):

  echo      64-byte TCP round trips on one connection (latency)
  bulk      a 256 MiB send, until the server acknowledges it (throughput)
  connect   connect + close, one after the other (rate)
  socketpath  the Python clients' connect calls on a UDP socket (no
            handshake, no server): the client's own cost per connection,
            which the connect row pays about 1.5 times over
            (docs/PERFORMANCE.md, "the connect row's floor")
  hostcall  one cheap ABI call (sock_abi_version) in a loop (ns/call)
  startup   `python -c pass` (and the runner's empty start) wall time; the
            native CPython here is 3.13 of python.wasm's own source
            (build/python-native, as in pystart), not /usr/bin/python3
  memory    the largest resident set of those starts (one instance each)
  interp    interpreter speed: pyperformance's pure-Python benchmarks
  pystart   python.wasm's start-up, imports and RSS

The last two (bench/interp_bench.py) compare python.wasm under each engine
with native CPython of the same version, in a second table; the others run
with these clients:

  native C         bench-client: BSD sockets, the machine's physical limit
  native CPython   bench/client.py with the socket module (/usr/bin/python3;
                   the startup and memory rows: build/python-native)
  wasm C           bench_client.wasm under wasisock-run: the host's cost
                   without an interpreter
  python.wasm      bench/client.py under wasisock-python, twice: with the
                   wasisocket package, and with the standard socket module
                   (CPython's own _socket on wasisock's POSIX layer)

and the wasm ones in every engine the build has: node, and wasmtime (the
"-wt" clients, --engine wasmtime; compiled code cached by both).

Every measurement is repeated (--reps); clients take turns within each
repetition (rotating the order), so a busy machine slows all of them alike.
The table shows medians, the ratio of python.wasm to native CPython (issue
8's targets, node and wasmtime), and wasmtime's figures against node's
(issue 13's targets: within 10 % for echo, bulk and connect, 100 ns per host
call, python.wasm's start within 3x native CPython's).
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

#: The clients of this run; programs() drops the wasmtime ones ("-wt") from
#: a build without that engine.
CLIENTS = ["native-c", "native-py", "wasm-c", "wasm-c-wt", "wasm-py", "wasm-py-wt",
           "wasm-sock", "wasm-sock-wt"]
TITLES = {
    "native-c": "native C",
    "native-py": "native CPython",
    "wasm-c": "wasm C node",
    "wasm-c-wt": "wasm C wasmtime",
    "wasm-py": "python.wasm wasisocket node",
    "wasm-py-wt": "python.wasm wasisocket wasmtime",
    "wasm-sock": "python.wasm socket node",
    "wasm-sock-wt": "python.wasm socket wasmtime",
}

# name: (unit, how to turn the client's seconds into it, better)
# Targets (issue 8), on python.wasm against native CPython of the same run.
TARGETS = {
    "echo": ("ratio", 1.3, "<="),  # round-trip time, python.wasm / native
    "bulk": ("ratio", 0.8, ">="),  # throughput, python.wasm / native
    "connect": ("ratio", 0.9, ">="),  # rate, python.wasm / native (issue 12)
    "hostcall": ("wasm-c", 200.0, "<="),  # ns per call, C guest
}
# Issue 13: wasmtime against node in the same run.
TARGETS_WT = {
    "echo": 1.10,       # wasmtime's round trip / node's, C and python.wasm
    "bulk": 0.90,       # wasmtime's throughput / node's
    "connect": 0.90,    # wasmtime's rate / node's
    "hostcall": 100.0,  # ns per call, C guest under wasmtime
    "startup": 3.0,     # python.wasm -c pass under wasmtime / native CPython 3.13
}


class BenchError(Exception):
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="bench/run.sh",
        description="wasisock benchmarks: python.wasm against native CPython on loopback",
    )
    p.add_argument("--build", default=os.environ.get("WASISOCK_BUILD_DIR", os.path.join(ROOT, "build")),
                   help="build directory (default: $WASISOCK_BUILD_DIR or build)")
    p.add_argument("--reps", type=int, default=7, help="repetitions of each measurement (default 7)")
    p.add_argument("--echo", type=int, default=10000, help="round trips per echo run (default 10000)")
    p.add_argument("--bulk-mib", type=int, default=256, help="MiB per bulk run (default 256)")
    p.add_argument("--connects", type=int, default=2000, help="connections per connect run (default 2000)")
    p.add_argument("--socketpaths", type=int, default=20000,
                   help="iterations per socketpath run (default 20000)")
    p.add_argument("--hostcalls", type=int, default=10_000_000,
                   help="calls per hostcall run of the C clients (default 1e7; python.wasm does a tenth)")
    p.add_argument("--native-python", default=None,
                   help="native CPython of the network rows (default /usr/bin/python3, else python3); "
                        "the start-up rows compare with build/python-native, CPython 3.13 of "
                        "python.wasm's own source")
    p.add_argument("--pin", type=int, default=None, metavar="CPU",
                   help="run the servers and every client on this one CPU (no cross-CPU wake-ups: "
                        "the software path alone)")
    p.add_argument("--only", default=None,
                   help="comma-separated benchmarks (echo,bulk,connect,socketpath,hostcall,startup,tls,"
                        "interp,pystart)")
    p.add_argument("--interp-cpu", action="store_true",
                   help="interp rows in CPU time per loop (bench/interp_bench.py --cpu): "
                        "the figure to read on a busy machine")
    p.add_argument("--cold", action="store_true",
                   help="also time one python.wasm start without the code cache (~5 s)")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: tiny sizes, one repetition (checks the bench works, measures nothing)")
    p.add_argument("--json", default=None, help="also write every sample and the machine to this file")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown (docs/PERFORMANCE.md)")
    p.add_argument("--from-json", default=None, metavar="FILE",
                   help="measure nothing: print the table of a run saved with --json")
    a = p.parse_args(argv)
    if a.quick:
        a.reps, a.echo, a.bulk_mib, a.connects, a.socketpaths, a.hostcalls = 1, 200, 8, 50, 200, 10000
    return a


def which_python(explicit):
    if explicit:
        return explicit
    if os.access("/usr/bin/python3", os.X_OK):
        return "/usr/bin/python3"
    found = shutil.which("python3")
    if not found:
        raise BenchError("no native python3 found (--native-python)")
    return found


def programs(a):
    b = os.path.abspath(a.build)
    run_cmd = os.path.join(b, "bin", "wasisock-run")
    py_cmd = os.path.join(b, "bin", "wasisock-python")
    prog = {
        "server": [os.path.join(b, "bench", "bench-server")],
        "native-c": [os.path.join(b, "bench", "bench-client")],
        "native-py": [which_python(a.native_python), os.path.join(HERE, "client.py")],
    }
    for suffix, engine in (("", "node"), ("-wt", "wasmtime")):
        prog["wasm-c" + suffix] = [run_cmd, "--engine", engine,
                                   os.path.join(b, "wasm", "bin", "bench_client.wasm")]
        prog["wasm-py" + suffix] = [py_cmd, "--engine", engine, os.path.join(HERE, "client.py")]
        prog["wasm-sock" + suffix] = prog["wasm-py" + suffix] + ["--api", "socket"]
    for name in ("server", "native-c", "wasm-c", "wasm-py"):
        for f in prog[name]:
            if f.startswith(b) and not os.path.exists(f):
                raise BenchError(f"{f} is missing: build first (bench/run.sh builds; or cmake --build {b})")
    if b"\nwasmtime " not in subprocess.run([run_cmd, "--version"], stdout=subprocess.PIPE).stdout:
        for c in ("wasm-c-wt", "wasm-py-wt", "wasm-sock-wt"):
            CLIENTS.remove(c)
    return prog


PIN = None  # --pin: the CPU every process runs on


def _pin():
    if PIN is not None:
        os.sched_setaffinity(0, {PIN})


def run(cmd, timeout=300):
    """Runs cmd; returns (stdout, wall seconds)."""
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                       preexec_fn=_pin)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise BenchError(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr.decode(errors='replace')}")
    return r.stdout.decode(), wall


def run_rss(cmd):
    """Runs cmd; returns (wall seconds, its largest resident set in MiB).

    Reaped with os.wait4 for the child's own rusage (the commands exec node
    in the same process, so that is node's too)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_pin)
    err = p.stderr.read()  # to EOF: the child has exited, or is exiting
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    p.stderr.close()
    if p.returncode != 0:
        raise BenchError(f"{' '.join(cmd)}: exit {p.returncode}\n{err.decode(errors='replace')}")
    return wall, ru.ru_maxrss / 1024.0  # KiB on Linux


def client_seconds(cmd):
    out, _ = run(cmd)
    try:
        return float(json.loads(out.strip().splitlines()[-1])["seconds"])
    except (ValueError, KeyError, IndexError) as e:
        raise BenchError(f"{' '.join(cmd)}: unexpected output {out!r}") from e


class Server:
    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, preexec_fn=_pin)
        line = self.proc.stdout.readline().decode().split()
        if len(line) != 4:
            self.close()
            raise BenchError("bench-server did not print its ports")
        self.echo, self.bulk, self.connect, self.naddr = map(int, line)

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def cmd_output(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120).stdout.decode().strip()
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def machine(prog):
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    node = cmd_output(["node", "--version"])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "os": cmd_output(["sh", "-c", ". /etc/os-release 2>/dev/null && echo \"$PRETTY_NAME\""]),
        "node": node,
        "native_python": cmd_output([prog["native-py"][0], "-c", "import sys; print(sys.version.split()[0])"]),
        "native_python_startup": cmd_output(prog["native-py-start"] + ["-c", "import sys; print(sys.version.split()[0])"])
        if "native-py-start" in prog else None,
        "wasm_python": cmd_output(prog["wasm-py"][:1] + ["-c", "import sys; print(sys.version.split()[0])"]),
        "loadavg_start": os.getloadavg(),
    }


def rotate(seq, k):
    k %= len(seq)
    return list(seq[k:]) + list(seq[:k])


def measure(a, prog, srv, only):
    """{bench: {client: [values]}} in the bench's unit."""
    res = {}
    reps = a.reps
    n_py_calls = max(1, a.hostcalls // 10)
    plan = {
        "echo": (lambda c: prog[c] + ["echo", str(srv.echo), str(a.echo)],
                 lambda s: s / a.echo * 1e6, CLIENTS),  # us per round trip
        "bulk": (lambda c: prog[c] + ["bulk", str(srv.bulk), str(a.bulk_mib)],
                 lambda s: a.bulk_mib / s, CLIENTS),  # MiB/s
        "connect": (lambda c: prog[c] + ["connect", str(srv.connect), str(a.connects), str(srv.naddr)],
                    lambda s: a.connects / s, CLIENTS),  # connections/s
        "socketpath": (lambda c: prog[c] + ["socketpath", str(a.socketpaths)],
                       lambda s: s / a.socketpaths * 1e6,  # us per socket + connect + close
                       [c for c in CLIENTS if c.startswith(("native-py", "wasm-py", "wasm-sock"))]),
        "hostcall": (lambda c: prog[c] + ["hostcall", str(n_py_calls if c.startswith("wasm-py") else a.hostcalls)],
                     None, [c for c in CLIENTS if c == "native-c" or c.startswith(("wasm-c", "wasm-py"))]),
    }
    for name, (cmd, conv, clients) in plan.items():
        if name not in only:
            continue
        res[name] = {c: [] for c in clients}
        for r in range(reps):
            for c in rotate(clients, r):
                s = client_seconds(cmd(c))
                if name == "hostcall":
                    n = n_py_calls if c.startswith("wasm-py") else a.hostcalls
                    res[name][c].append(s / n * 1e9)
                else:
                    res[name][c].append(conv(s))
            progress(name, r + 1, reps)
    if "tls" in only:
        # TLS handshake and bulk (bench/tls_bench.py: its own TLS servers and
        # a CA made for the run), for the two Pythons.
        import tls_bench
        res.update(tls_bench.measure(tls_bench.programs(a.build, prog["native-py"][0]),
                                     reps, progress=progress))
    if only & {"interp", "pystart"}:
        # Interpreter speed and start-up per engine (bench/interp_bench.py).
        import interp_bench
        try:
            res.update(interp_bench.measure(interp_bench.programs(a.build), min(reps, 3) if not a.quick else 1,
                                            quick=a.quick, only=only, progress=progress,
                                            cpu=a.interp_cpu))
        except interp_bench.BenchError as e:
            raise BenchError(str(e)) from e
    if "startup" in only:
        # Wall time of the whole process: `python -c pass` for the two
        # Pythons, the empty program for the C clients (hostcall 0).  The
        # native Python is CPython 3.13 of python.wasm's source (issue 13's
        # target is against it, and interp_bench's pystart row uses it too).
        # The wasm C start includes its engine's start (node's, or
        # wasmtime's with the cached code); python.wasm's its code cache.
        st = {}
        for c in CLIENTS:
            if c.startswith(("native-c", "wasm-c")):
                st[c] = prog[c] + ["hostcall", "0"]
            elif c == "native-py":
                st[c] = prog["native-py-start"] + ["-c", "pass"]
            elif c.startswith("wasm-py"):
                st[c] = prog[c][:-1] + ["-c", "pass"]
        for c in st:
            if c.startswith("wasm"):
                run(st[c])  # the code caches are written by the first run
        res["startup"] = {c: [] for c in st}
        res["memory"] = {c: [] for c in st}
        n = reps if a.quick else max(reps, 5)
        for r in range(n):
            for c in rotate(list(st), r):
                wall, rss = run_rss(st[c])
                res["startup"][c].append(wall * 1e3)  # ms
                res["memory"][c].append(rss)  # MiB
            progress("startup", r + 1, n)
        if a.cold:
            res["startup-cold"] = {c: [run(st[c][:-2] + ["--no-code-cache", "-c", "pass"])[1] * 1e3]
                                   for c in st if c.startswith("wasm-py")}
    return res


def progress(name, r, reps):
    sys.stderr.write(f"\rbench: {name} {r}/{reps}   ")
    if r == reps:
        sys.stderr.write("\n")
    sys.stderr.flush()


UNITS = {
    "echo": ("echo 64 B round trip", "µs", "{:.1f}"),
    "bulk": ("bulk send 256 MiB", "MiB/s", "{:.0f}"),
    "connect": ("connect + close", "conn/s", "{:.0f}"),
    "socketpath": ("socket path (UDP socket + connect + close)", "µs", "{:.2f}"),
    "hostcall": ("host call sock_abi_version", "ns/call", "{:.1f}"),
    "startup": ("start-up (`-c pass`; native: CPython 3.13)", "ms", "{:.0f}"),
    "memory": ("memory per instance (max RSS of the start)", "MiB", "{:.0f}"),
    "startup-cold": ("start-up, no code cache", "ms", "{:.0f}"),
}


def summarise(a, res):
    """Rows of (label, unit, {client: median}, ratio text, target text, met)."""
    rows = []
    import tls_bench
    for name in ("echo", "bulk", "connect", "socketpath", "hostcall", "startup", "memory", "startup-cold",
                 *tls_bench.UNITS):
        if name not in res:
            continue
        if name in tls_bench.UNITS:
            label, unit, fmt, better = tls_bench.UNITS[name]
            med = {c: statistics.median(v) for c, v in res[name].items() if v}
            py, nat = med.get("wasm-py"), med.get("native-py")
            ratio = ""
            if py and nat:
                ratio = f"{py / nat:.2f}× time" if better == "lower" else f"{py / nat * 100:.0f} %"
            py_wt = med.get("wasm-py-wt")
            if py_wt and nat:
                ratio += " / " + (f"{py_wt / nat:.2f}× time" if better == "lower" else f"{py_wt / nat * 100:.0f} %")
            rows.append((label, unit, fmt, med, ratio, "", "", None) + wasmtime_vs_node(name, med))
            continue
        label, unit, fmt = UNITS[name]
        if name == "bulk":
            label = f"bulk send {a.bulk_mib} MiB"
        med = {c: statistics.median(v) for c, v in res[name].items() if v}
        ratio, ratio_sock, target, met = "", "", "", None
        py, sock, nat = med.get("wasm-py"), med.get("wasm-sock"), med.get("native-py")
        if name in ("echo", "socketpath") and py and nat:
            ratio = f"{py / nat:.2f}× time"
            ratio_sock = f"{sock / nat:.2f}× time" if sock else ""
        if name == "echo" and py and nat:
            met = py / nat <= TARGETS["echo"][1]
            target = "≤ 1.3× time"
        elif name in ("bulk", "connect") and py and nat:
            ratio = f"{py / nat * 100:.0f} %"
            ratio_sock = f"{sock / nat * 100:.0f} %" if sock else ""
            met = py / nat >= TARGETS[name][1]
            target = f"≥ {TARGETS[name][1] * 100:.0f} %"
        elif name == "hostcall" and "wasm-c" in med:
            ratio = f"{med['wasm-c']:.0f} ns (C guest)"
            met = med["wasm-c"] <= TARGETS["hostcall"][1]
            target = "≤ 200 ns"
        elif name == "startup" and py and nat:
            ratio = f"{py / nat:.0f}× time"
        py_wt, sock_wt = med.get("wasm-py-wt"), med.get("wasm-sock-wt")
        if nat and py_wt and name in ("echo", "socketpath", "startup"):
            ratio += f" / {py_wt / nat:.2f}× time"
            ratio_sock += f" / {sock_wt / nat:.2f}× time" if sock_wt else ""
        elif nat and py_wt and name in ("bulk", "connect"):
            ratio += f" / {py_wt / nat * 100:.0f} %"
            ratio_sock += f" / {sock_wt / nat * 100:.0f} %" if sock_wt else ""
        rows.append((label, unit, fmt, med, ratio, ratio_sock, target, met) + wasmtime_vs_node(name, med))
    return rows


def wasmtime_vs_node(name, med):
    """(ratio text, target text, met) of wasmtime against node for a row."""
    pairs = [(c, c + "-wt") for c in ("wasm-c", "wasm-py", "wasm-sock") if c in med and c + "-wt" in med]
    if name == "hostcall" and "wasm-c-wt" in med:
        return (f"{med['wasm-c-wt']:.0f} ns (C guest)", "≤ 100 ns",
                med["wasm-c-wt"] <= TARGETS_WT["hostcall"])
    if name == "startup" and "wasm-py-wt" in med and "native-py" in med:
        r = med["wasm-py-wt"] / med["native-py"]
        return (f"{r:.1f}× native CPython", "≤ 3× native", r <= TARGETS_WT["startup"])
    if not pairs:
        return ("", "", None)
    lower = name in ("echo", "socketpath", "tls-handshake", "memory")  # time or size: lower is better
    ratios = [med[wt] / med[n] for n, wt in pairs]
    text = " / ".join(f"{r:.2f}×" for r in ratios) + " (" + ", ".join(n[5:] for n, _ in pairs) + ")"
    if name not in TARGETS_WT:
        return (text, "", None)
    limit = TARGETS_WT[name]
    met = all(r <= limit for r in ratios) if lower else all(r >= limit for r in ratios)
    return (text, "within 10 %", met)


def table(a, rows, markdown):
    engines = "node / wasmtime" if "wasm-py-wt" in CLIENTS else "node"
    head = (["benchmark", "unit"] + [TITLES[c] for c in CLIENTS] +
            [f"wasisocket vs native ({engines})", f"socket vs native ({engines})",
             "target (wasisocket, node)", "met"])
    if "wasm-c-wt" in CLIENTS:
        head += ["wasmtime vs node", "target (wasmtime)", "met"]
    body = []
    for label, unit, fmt, med, ratio, ratio_sock, target, met, wt, wt_target, wt_met in rows:
        cells = [fmt.format(med[c]) if c in med else "—" for c in CLIENTS]
        row = [label, unit] + cells + [ratio or "—", ratio_sock or "—", target or "—",
                                       "" if met is None else ("yes" if met else "NO")]
        if "wasm-c-wt" in CLIENTS:
            row += [wt or "—", wt_target or "—", "" if wt_met is None else ("yes" if wt_met else "NO")]
        body.append(row)
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        out += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(out)
    widths = [max(len(str(r[i])) for r in [head] + body) for i in range(len(head))]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip()
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in body])


def print_report(a, m, res):
    rows = summarise(a, res)
    start_py = f" (start-up rows: {m['native_python_startup']})" if m.get("native_python_startup") else ""
    print(f"machine: {m['cpu']}, {m['cores']} cores, Linux {m['kernel']} ({m['os']}); "
          f"node {m['node']}; native CPython {m['native_python']}{start_py}; python.wasm {m['wasm_python']}")
    print(f"load average {m['loadavg_start'][0]:.2f} at start, {m['loadavg_end'][0]:.2f} at end; "
          f"medians of {a.reps} runs" + (f"; every process on CPU {a.pin}" if a.pin is not None else "") +
          (" (--quick: a smoke run, not a measurement)" if a.quick else ""))
    if rows:
        print(table(a, rows, a.markdown))
    import interp_bench
    irows = interp_bench.rows(res)
    if irows:
        print()
        print("python.wasm per engine against native CPython 3.13 (same source); interpreter rows in ms per loop"
              + (" of CPU time" if getattr(a, "interp_cpu", False) else ""))
        print(interp_bench.table(irows, a.markdown))


def main(argv):
    global PIN
    a = parse_args(argv)
    PIN = a.pin
    if a.from_json:
        with open(a.from_json) as f:
            saved = json.load(f)
        for k in ("reps", "pin", "quick", "bulk_mib", "interp_cpu"):
            setattr(a, k, saved["args"].get(k))
        for c in [c for c in CLIENTS if not any(c in v for v in saved["samples"].values())]:
            CLIENTS.remove(c)
        print_report(a, saved["machine"], saved["samples"])
        return 0
    only = set((a.only or "echo,bulk,connect,socketpath,hostcall,startup,interp,pystart" +
                ("" if a.quick else ",tls")).split(","))
    try:
        prog = programs(a)
        if "startup" in only:
            import interp_bench
            try:
                prog["native-py-start"] = [interp_bench.native_python(a.build)]
            except interp_bench.BenchError as e:
                raise BenchError(str(e)) from e
        m = machine(prog)
        srv = Server(prog["server"])
        try:
            res = measure(a, prog, srv, only)
        finally:
            srv.close()
    except (BenchError, subprocess.TimeoutExpired) as e:
        sys.stderr.write(f"\nbench: {e}\n")
        return 1
    m["loadavg_end"] = os.getloadavg()
    print_report(a, m, res)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": m, "args": vars(a), "samples": res}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
