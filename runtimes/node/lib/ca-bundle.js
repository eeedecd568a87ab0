'use strict';
// ca-bundle.js — the host's CA certificates for a guest's OpenSSL.
//
// python.wasm's OpenSSL looks for trusted CAs in the guest's /etc/ssl/cert.pem
// (its OPENSSLDIR is /etc/ssl; scripts/openssl-wasi.sh), or where the guest's
// SSL_CERT_FILE points.  The host's bundle cannot simply be mapped: node:wasi
// refuses symlinks that leave a preopened directory (Debian's /etc/ssl/certs
// is made of them, and other systems link the bundle itself), and a mapped
// host directory is writable by the guest.  So the launcher keeps a regular
// copy of the bundle, alone in a directory of its own, and maps that
// directory as the guest's /etc/ssl:
//
//   <cache>/ca-bundle/<id>/cert.pem    id: hash of the bundle's real path
//
// Every launch checks that the directory holds exactly cert.pem with the
// bundle's current bytes (a bundle of ~200 KB: well under a millisecond) and
// rewrites it otherwise, so a guest that wrote there, or an updated host
// bundle, is put right before the next guest starts.  Without a usable cache
// directory the copy goes to a fresh temporary directory, removed by
// cleanup().
//
//   const ca = require('./ca-bundle.js');
//   const b = ca.prepare(ca.hostBundle(process.env), { cacheDir });
//   preopens[ca.GUEST_DIR] = b.dir;  ...  b.cleanup();

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const GUEST_DIR = '/etc/ssl';
const GUEST_FILE = '/etc/ssl/cert.pem';
const FILE_NAME = 'cert.pem';

// Where systems keep their bundle of trusted CAs, in the order of Python's
// and Go's lists: Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine/macOS-style.
const SYSTEM_BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

// The host's bundle: $SSL_CERT_FILE of the launcher's environment when it
// names a readable file (as OpenSSL itself would use it), else the first
// system bundle that exists; null when there is none.
function hostBundle(env = process.env) {
  const candidates = env.SSL_CERT_FILE ? [env.SSL_CERT_FILE] : [];
  candidates.push(...SYSTEM_BUNDLES);
  for (const f of candidates) {
    try {
      fs.accessSync(f, fs.constants.R_OK);
      if (fs.statSync(f).isFile()) return f;
    } catch (e) { /* next one */ }
  }
  return null;
}

// A directory holding only cert.pem = the bytes of `file`.  Returns
// { dir, file, cleanup }; throws an Error with a message fit for the user
// when `file` cannot be read or holds no PEM certificate.
function prepare(file, { cacheDir } = {}) {
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`CA bundle ${file}: ${e.message}`);
  }
  if (!bytes.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`CA bundle ${file}: no PEM certificate in it`);
  }
  if (cacheDir) {
    try {
      const id = crypto.createHash('sha256').update(fs.realpathSync(file)).digest('hex').slice(0, 16);
      const dir = path.join(cacheDir, 'ca-bundle', id);
      if (!holdsExactly(dir, bytes)) replaceDir(dir, bytes);
      return { dir, file, cleanup() {} };
    } catch (e) { /* cache not writable: a temporary copy */ }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasisock-ca-'));
  fs.writeFileSync(path.join(dir, FILE_NAME), bytes, { mode: 0o444 });
  return {
    dir,
    file,
    cleanup() {
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch (e) { /* gone */ }
    },
  };
}

function holdsExactly(dir, bytes) {
  try {
    const names = fs.readdirSync(dir);
    if (names.length !== 1 || names[0] !== FILE_NAME) return false;
    const p = path.join(dir, FILE_NAME);
    const st = fs.lstatSync(p);
    return st.isFile() && st.size === bytes.length && fs.readFileSync(p).equals(bytes);
  } catch (e) {
    return false;
  }
}

// Writes a new directory beside `dir` and renames it into place, so a
// concurrent launcher sees the old copy or the new one, never half of one.
function replaceDir(dir, bytes) {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = `${dir}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(tmp, FILE_NAME), bytes, { mode: 0o444 });
  const old = `${tmp}.old`;
  try {
    fs.renameSync(dir, old);
  } catch (e) { /* no old copy */ }
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    // Another launcher won the race; its copy is as good as ours.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!holdsExactly(dir, bytes)) throw e;
  }
  fs.rmSync(old, { recursive: true, force: true });
}

module.exports = { GUEST_DIR, GUEST_FILE, SYSTEM_BUNDLES, hostBundle, prepare };
