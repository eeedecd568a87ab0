"""python.wasm imports only WASI preview 1 and wasisock (native check).

    check_imports.py --objdump wasm-objdump --wasm build/python-wasm/python.wasm
                     --header include/wasisock.h [--require NAME,...]

The seed put its socket calls into wasi_snapshot_preview1 and clashed with
preview 1's own sock_recv/sock_send; ours live in their own module.  Reads
`wasm-objdump -x -j Import` and fails on any other module, on a wasisock
import the host does not define (include/wasisock.h), or if wasisock's core
calls (or those --require names) are missing.  tests/go checks the Go
programs with it too.
"""
import argparse
import re
import subprocess
import sys

CORE = {"sock_open", "sock_resolve", "sock_connect", "sock_send", "sock_recv",
        "sock_close"}


def host_imports(header):
    text = open(header, encoding="utf-8").read()
    block = text.split("#define WASISOCK_IMPORT_LIST(XX)", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"XX\((\w+),", block))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--objdump", required=True)
    ap.add_argument("--wasm", required=True)
    ap.add_argument("--header", required=True)
    ap.add_argument("--require", default=",".join(sorted(CORE)),
                    help="wasisock calls that must be imported (default: the core six)")
    a = ap.parse_args()
    required = set(filter(None, a.require.split(",")))
    out = subprocess.run([a.objdump, "-x", "-j", "Import", a.wasm], check=True,
                         capture_output=True, text=True).stdout
    imports = re.findall(r"<- (\w+)\.(\w+)", out)
    modules = {m for m, _ in imports}
    wasisock = {n for m, n in imports if m == "wasisock"}
    known = host_imports(a.header)
    errors = []
    if modules != {"wasi_snapshot_preview1", "wasisock"}:
        errors.append(f"import modules are {sorted(modules)}, expected only "
                      "wasi_snapshot_preview1 and wasisock")
    if wasisock - known:
        errors.append(f"wasisock imports the host lacks: {sorted(wasisock - known)}")
    if required - wasisock:
        errors.append(f"calls not imported: {sorted(required - wasisock)}")
    for e in errors:
        print("check_imports:", e, file=sys.stderr)
    print(f"{len(imports)} imports: {len(imports) - len(wasisock)} from "
          f"wasi_snapshot_preview1, {len(wasisock)} from wasisock")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
