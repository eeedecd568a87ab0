'use strict';
// environment.js — the runners' options for what a guest sees besides its
// sockets (docs/ENVIRONMENT.md), shared by wasisock-run and wasisock-python:
// the user, /etc, the CA bundle and variables (runtimes/common/guest_env.c
// through the addon), --listen and --trace.
//
//   const o = {};
//   environment.parseFlag(o, arg, flag, value, bad)    // in a flag loop
//   const g = environment.prepare(o, { base, userEnv, preopens, cacheDir });
//   ... run({ env: g.env, preopens: g.preopens, listen: o.listen,
//             trace: environment.openTrace(o, bad) }) ...;  g.cleanup();

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const wasisock = require('./wasisock.js');

const ETC_NAMES = ['resolv.conf', 'hosts', 'services', 'protocols', 'hostname'];

const USAGE = `guest environment (docs/ENVIRONMENT.md): USER, LOGNAME and HOME
from the host user; the host's /etc/resolv.conf, hosts, services, protocols,
hostname and CA bundle in a read-only /etc; CA variables as guest paths:
  --no-etc NAME         hide /etc/NAME (resolv.conf, hosts, services,
                        protocols, hostname, or all)
  --etc NAME=FILE       show FILE as /etc/NAME
  --ca-bundle FILE      the CA certificates the guest trusts (at
                        /etc/ssl/certs/ca-certificates.crt, /etc/ssl/cert.pem,
                        ...); default: the host's bundle
  --no-ca-bundle        no CA certificates and no CA variables
  --listen [NAME=][tcp:|udp:]HOST:PORT
                        bind a socket with the runner's rights and hand it to
                        the guest (LISTEN_FDS, LISTEN_FDNAMES, LISTEN_FDS_START;
                        works under --deny-all); repeatable; PORT 0: a free
                        one, printed
  --trace[=FILE]        one line per wasisock call, strace-style, to stderr or
                        FILE
`;

// A name systemd accepts in LISTEN_FDNAMES (fdname_is_valid): printable
// ASCII, no ':', at most 255 bytes.
function validName(name) {
  return name.length > 0 && name.length <= 255 && /^[\x20-\x7e]+$/.test(name) && !name.includes(':');
}

// Handles one of the options above for a runner's parser: records it in o
// and returns true; false when `flag` is not one.  arg is the whole
// argument ("--trace=FILE"), value() the flag's value, bad(message) throws
// the runner's usage error.
function parseFlag(o, arg, flag, value, bad) {
  switch (flag) {
    case '--no-etc': {
      const v = value();
      if (!o.etc) o.etc = {};
      if (v === 'all') {
        for (const n of ETC_NAMES) o.etc[n] = '';
      } else if (ETC_NAMES.includes(v)) {
        o.etc[v] = '';
      } else {
        bad(`--no-etc wants one of ${ETC_NAMES.join(', ')} or all, got "${v}"`);
      }
      return true;
    }
    case '--etc': {
      const v = value();
      const eq = v.indexOf('=');
      const name = eq > 0 ? v.slice(0, eq) : '';
      if (!ETC_NAMES.includes(name) || eq === v.length - 1) {
        bad(`--etc wants NAME=FILE with NAME one of ${ETC_NAMES.join(', ')}, got "${v}"`);
      }
      if (!o.etc) o.etc = {};
      o.etc[name] = path.resolve(v.slice(eq + 1));
      return true;
    }
    case '--ca-bundle':
      o.caBundle = value();
      return true;
    case '--no-ca-bundle':
      o.caBundle = false;
      return true;
    case '--listen': {
      const v = value();
      const eq = v.indexOf('=');
      const name = eq >= 0 ? v.slice(0, eq) : (/^udp:/i.test(v) ? 'udp' : 'tcp');
      if (!validName(name)) {
        bad(`--listen ${v}: the name must be 1-255 printable characters without ":"`);
      }
      if (!o.listen) o.listen = [];
      o.listen.push({ name, spec: eq >= 0 ? v.slice(eq + 1) : v, flag: `--listen ${v}` });
      return true;
    }
    case '--trace':
      if (arg.includes('=')) {
        o.trace = arg.slice(arg.indexOf('=') + 1);
        if (!o.trace) bad('--trace=FILE needs a file name');
      } else {
        o.trace = true;
      }
      return true;
    default:
      return false;
  }
}

// The cache directory for the guest's /etc when the runner has no other:
// $WASISOCK_CACHE, $XDG_CACHE_HOME/wasisock or ~/.cache/wasisock; null when
// it cannot be written (a temporary /etc is used then).
function defaultCacheDir(env = process.env) {
  const dir = env.WASISOCK_CACHE ? path.resolve(env.WASISOCK_CACHE)
    : path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'wasisock');
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
    return dir;
  } catch (e) {
    return null;
  }
}

// The guest's environment and directories.  base: {NAME: value} the guest
// gets so far (inherited, the launcher's own); userEnv: [[NAME, value]] of
// --env, applied last; preopens: {guestPath: hostPath} (a copy is
// returned with /etc added).  Returns {env, preopens, cleanup}; bad(message)
// for a --etc or --ca-bundle file that cannot be used.
function prepare(o, { base = {}, userEnv = [], preopens = {}, cacheDir = null, bad }) {
  // A --dir of /etc is the user's own /etc: nothing of ours there.
  const ownEtc = Object.keys(preopens).some((g) => path.posix.normalize(g) === '/etc');
  const etc = {};
  for (const n of ETC_NAMES) etc[n] = ownEtc ? '' : (o.etc && n in o.etc ? o.etc[n] : null);
  const caBundle = ownEtc || o.caBundle === false ? '' : (o.caBundle ?? null);
  const envList = Object.entries({ ...base, ...Object.fromEntries(userEnv) }).map(([k, v]) => `${k}=${v}`);
  let g;
  try {
    g = wasisock.guestEnv({ env: envList, etc, caBundle, cacheDir });
  } catch (e) {
    if (e.code !== 'ERR_WASISOCK_GUEST_ENV') throw e;
    const flag = /^CA bundle /.test(e.message) ? '--ca-bundle' : /\(for \/etc\//.test(e.message) ? '--etc' : null;
    bad(flag ? `${flag}: ${e.message}` : e.message);
  }
  const env = { ...base };
  for (const n of g.unset) delete env[n];
  for (const kv of g.set) {
    const eq = kv.indexOf('=');
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const [k, v] of userEnv) env[k] = v;
  const dirs = { ...preopens };
  if (g.etcDir) dirs['/etc'] = g.etcDir;
  return { env, preopens: dirs, etcDir: g.etcDir, cleanup: () => wasisock.guestEnvFree(g.handle) };
}

// The descriptor --trace writes to: 2 (stderr), a FILE opened (truncated)
// now, or null without --trace.  bad(message) when FILE cannot be opened.
function openTrace(o, bad) {
  if (!o.trace) return null;
  if (o.trace === true) return 2;
  try {
    return fs.openSync(o.trace, 'w');
  } catch (e) {
    return bad(`--trace=${o.trace}: ${e.message}`);
  }
}

module.exports = { USAGE, ETC_NAMES, parseFlag, prepare, openTrace, defaultCacheDir };
