#!/usr/bin/env bash
# debian-fetch.sh — fetch source or binary packages from Debian trixie through a
# PRIVATE apt configuration. The host's apt sources, lists and caches are never
# touched: everything lives under "$WASISOCK_CACHE/apt" (WASISOCK_CACHE defaults
# to "$HOME/.cache/wasisock").
#
# Usage:
#   debian-fetch.sh source PKG DESTDIR [PREFERRED_VERSION]
#       Download the source package (.dsc, orig tarball(s), debian tarball) into
#       DESTDIR without unpacking it (apt-get source --download-only). Every file
#       is checked against the SHA-256 sums of the signed Sources index.
#   debian-fetch.sh binary PKG DESTDIR [PREFERRED_VERSION]
#       Download the .deb (apt-get download, kept in the private cache), check its
#       SHA-256 against the signed Packages index and extract it (dpkg-deb -x)
#       into DESTDIR.
#   debian-fetch.sh update
#       Force an apt-get update of the private lists.
#
# Version choice: PREFERRED_VERSION first if the index lists it, then every
# other listed version, newest first. A version whose files the mirror fails to
# serve (seen: listed but 404) is skipped. The version fetched is printed alone
# on stdout (one line); diagnostics go to stderr. Lists are refreshed only when
# missing or older than a day (WASISOCK_APT_MAX_AGE seconds, default 86400).
#
# Environment:
#   WASISOCK_CACHE        cache root (default $HOME/.cache/wasisock)
#   WASISOCK_DEBIAN_MIRROR  default http://deb.debian.org/debian
#   WASISOCK_DEBIAN_SECURITY_MIRROR  default http://deb.debian.org/debian-security
#   WASISOCK_DEBIAN_KEYRING  default /usr/share/keyrings/debian-archive-keyring.gpg
#   DEBIAN_FETCH_VERBOSE=1  show apt's output
#
# Needs: apt, dpkg (dpkg-deb), coreutils, util-linux (flock), gpgv (apt uses it).
#
# shellcheck disable=SC2317  # fetch_*_version are called as "fetch_${kind}_version"
set -euo pipefail

prog=debian-fetch
die() { printf '%s: error: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

suite=trixie
cache_root=${WASISOCK_CACHE:-${HOME:?HOME is not set}/.cache/wasisock}
aptdir=$cache_root/apt
mirror=${WASISOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
secmirror=${WASISOCK_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
keyring=${WASISOCK_DEBIAN_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
max_age=${WASISOCK_APT_MAX_AGE:-86400}
log=$aptdir/last.log

for tool in apt-get apt-cache dpkg dpkg-deb sha256sum flock; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian packages: apt dpkg util-linux coreutils)"
done
[ -r "$keyring" ] || die "keyring $keyring not readable (Debian package: debian-archive-keyring)"

# --- private apt configuration ----------------------------------------------
setup_apt() {
  mkdir -p "$aptdir"/etc/apt.conf.d "$aptdir"/etc/sources.list.d \
    "$aptdir"/etc/preferences.d "$aptdir"/etc/trusted.gpg.d \
    "$aptdir"/state/lists/partial "$aptdir"/cache/archives/partial \
    "$aptdir"/debs "$aptdir"/log
  [ -e "$aptdir/state/status" ] || : >"$aptdir/state/status"

  # Written every time (cheap) so a change of mirror/keyring takes effect.
  local sl=$aptdir/etc/sources.list.new
  {
    printf 'deb [signed-by=%s] %s %s main\n' "$keyring" "$mirror" "$suite"
    printf 'deb-src [signed-by=%s] %s %s main\n' "$keyring" "$mirror" "$suite"
    printf 'deb [signed-by=%s] %s %s-updates main\n' "$keyring" "$mirror" "$suite"
    printf 'deb-src [signed-by=%s] %s %s-updates main\n' "$keyring" "$mirror" "$suite"
    printf 'deb [signed-by=%s] %s %s-security main\n' "$keyring" "$secmirror" "$suite"
    printf 'deb-src [signed-by=%s] %s %s-security main\n' "$keyring" "$secmirror" "$suite"
  } >"$sl"
  if ! cmp -s "$sl" "$aptdir/etc/sources.list"; then
    mv "$sl" "$aptdir/etc/sources.list"
    rm -f "$aptdir/state/lists/.updated"   # sources changed: lists are stale
  else
    rm -f "$sl"
  fi

  # The host's /etc/apt is not read at all: Dir::Etc and its parts point here.
  cat >"$aptdir/apt.conf" <<EOF
Dir::Etc "$aptdir/etc/";
Dir::Etc::Main "apt.conf";
Dir::Etc::Parts "apt.conf.d";
Dir::Etc::SourceList "sources.list";
Dir::Etc::SourceParts "sources.list.d";
Dir::Etc::Preferences "preferences";
Dir::Etc::PreferencesParts "preferences.d";
Dir::Etc::Trusted "trusted.gpg";
Dir::Etc::TrustedParts "trusted.gpg.d";
Dir::State "$aptdir/state/";
Dir::State::Lists "lists/";
Dir::State::status "$aptdir/state/status";
Dir::State::extended_states "extended_states";
Dir::Cache "$aptdir/cache/";
Dir::Cache::archives "archives/";
Dir::Cache::pkgcache "pkgcache.bin";
Dir::Cache::srcpkgcache "srcpkgcache.bin";
Dir::Log "$aptdir/log/";
Acquire::Languages "none";
Acquire::GzipIndexes "true";
Acquire::Retries "3";
// The cache usually sits in a home directory the unprivileged _apt user
// cannot enter; the files are verified against the signed index anyway.
APT::Sandbox::User "root";
APT::Get::AllowUnauthenticated "false";
Acquire::AllowInsecureRepositories "false";
EOF
  export APT_CONFIG=$aptdir/apt.conf
}

apt_update() {
  note "apt-get update (private lists in $aptdir/state/lists)"
  if ! apt-get -q update >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "apt-get update failed (log: $log)"
  fi
  # apt-get update exits 0 on some fetch errors; treat W:/E: lines as fatal.
  if grep -qE '^(E:|W: (Failed|GPG|The repository|An error))' "$log"; then
    grep -E '^(E|W):' "$log" >&2
    die "apt-get update reported errors (log: $log)"
  fi
  touch "$aptdir/state/lists/.updated"
}

maybe_update() {
  local stamp=$aptdir/state/lists/.updated now age
  if [ -e "$stamp" ]; then
    now=$(date +%s)
    age=$(( now - $(stat -c %Y "$stamp") ))
    [ "$age" -lt "$max_age" ] && return 0
  fi
  apt_update
}

# Sort Debian versions (one per line on stdin) newest first, using dpkg's rules.
sort_versions_desc() {
  local -a v=() out=()
  local x i j
  while IFS= read -r x; do [ -n "$x" ] && v+=("$x"); done
  for x in "${v[@]}"; do
    # skip duplicates
    for j in "${out[@]+"${out[@]}"}"; do [ "$j" = "$x" ] && continue 2; done
    out+=("$x")
  done
  # insertion sort (lists are a handful long)
  for ((i = 1; i < ${#out[@]}; i++)); do
    x=${out[i]}
    j=$((i - 1))
    while [ "$j" -ge 0 ] && dpkg --compare-versions "${out[j]}" lt "$x"; do
      out[j + 1]=${out[j]}
      j=$((j - 1))
    done
    out[j + 1]=$x
  done
  for x in "${out[@]+"${out[@]}"}"; do printf '%s\n' "$x"; done
}

# Candidate versions: preferred first (if listed), then the rest newest first.
candidates() {
  local kind=$1 pkg=$2 pref=$3 listed
  if [ "$kind" = source ]; then
    listed=$(apt-cache showsrc --only-source "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort_versions_desc)
  else
    listed=$(apt-cache show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | sort_versions_desc)
  fi
  [ -n "$listed" ] || return 0
  if [ -n "$pref" ]; then
    if grep -qxF -- "$pref" <<<"$listed"; then
      printf '%s\n' "$pref"
    else
      note "preferred version $pref of $pkg is not listed; trying: $(tr '\n' ' ' <<<"$listed")"
    fi
  fi
  grep -vxF -- "${pref:-/nonexistent/}" <<<"$listed" || true
}

# The stanza of source package PKG at VERSION from the Sources index.
src_record() {
  apt-cache showsrc --only-source "$1" 2>/dev/null |
    awk -v ver="$2" 'BEGIN{RS="";ORS="\n\n"} index($0 "\n", "\nVersion: " ver "\n") {print; exit}'
}

# "sha256 name" lines of a Checksums-Sha256 field read from stdin (dsc or index).
sha_lines() {
  awk '/^Checksums-Sha256:/{f=1;next} /^[^ ]/{f=0} f && NF==3 {print $1"  "$3}'
}

fetch_source_version() {
  local pkg=$1 dest=$2 ver=$3 rec dsc
  rec=$(src_record "$pkg" "$ver")
  dsc=$(sha_lines <<<"$rec" | awk '$2 ~ /\.dsc$/ {print $2; exit}')
  [ -n "$dsc" ] || { note "no .dsc in the index record of $pkg $ver"; return 1; }
  # Already there and intact? (idempotent, no network)
  if [ -e "$dest/$dsc" ] && (cd "$dest" && sha_lines <<<"$rec" | sha256sum --quiet -c -) >/dev/null 2>&1; then
    return 0
  fi
  if ! (cd "$dest" && apt-get -q source --download-only "$pkg=$ver") >"$log" 2>&1; then
    note "could not fetch source $pkg $ver (mirror lists it but did not serve it?)"
    [ -n "${DEBIAN_FETCH_VERBOSE:-}" ] && cat "$log" >&2
    return 1
  fi
  # Verify ourselves: the files of the signed index, then those the .dsc names.
  (cd "$dest" && sha_lines <<<"$rec" | sha256sum --quiet -c -) >&2 ||
    die "checksum mismatch for $pkg $ver (index) in $dest"
  (cd "$dest" && sha_lines <"$dsc" | sha256sum --quiet -c -) >&2 ||
    die "checksum mismatch for $pkg $ver (.dsc) in $dest"
}

fetch_binary_version() {
  local pkg=$1 dest=$2 ver=$3 rec file sha deb
  rec=$(apt-cache show "$pkg=$ver" 2>/dev/null | awk 'BEGIN{RS=""} {print; exit}')
  file=$(sed -n 's/^Filename: //p' <<<"$rec")
  sha=$(sed -n 's/^SHA256: //p' <<<"$rec")
  if [ -z "$file" ] || [ -z "$sha" ]; then
    note "no Filename/SHA256 for $pkg $ver"
    return 1
  fi
  deb=$aptdir/debs/${file##*/}
  if ! { [ -e "$deb" ] && printf '%s  %s\n' "$sha" "$deb" | sha256sum --quiet -c - >/dev/null 2>&1; }; then
    rm -f "$deb"
    local tmp
    tmp=$(mktemp -d "$aptdir/debs/dl.XXXXXX")
    if ! (cd "$tmp" && apt-get -q download "$pkg=$ver") >"$log" 2>&1; then
      rm -rf "$tmp"
      note "could not fetch $pkg $ver (mirror lists it but did not serve it?)"
      [ -n "${DEBIAN_FETCH_VERBOSE:-}" ] && cat "$log" >&2
      return 1
    fi
    # apt names the file with the epoch (':' as %3a); keep the pool's name.
    set -- "$tmp"/*.deb
    if [ $# -ne 1 ] || [ ! -e "$1" ]; then
      die "apt-get download of $pkg $ver did not produce one .deb"
    fi
    mv "$1" "$deb"
    rm -rf "$tmp"
    printf '%s  %s\n' "$sha" "$deb" | sha256sum --quiet -c - >&2 ||
      die "checksum mismatch for $deb"
  fi
  dpkg-deb -x "$deb" "$dest" || die "dpkg-deb -x $deb failed"
}

main() {
  [ $# -ge 1 ] || usage
  local kind=$1
  case $kind in
    update)
      setup_apt
      exec 9>"$aptdir/.lock"; flock 9
      apt_update
      return 0 ;;
    source | binary) ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
  if [ $# -lt 3 ] || [ $# -gt 4 ]; then usage; fi
  local pkg=$2 dest=$3 pref=${4:-} ver list

  setup_apt
  mkdir -p "$dest"
  dest=$(cd "$dest" && pwd)
  # One apt user of the private tree at a time (update and download lock it).
  exec 9>"$aptdir/.lock"
  flock 9
  maybe_update

  list=$(candidates "$kind" "$pkg" "$pref")
  if [ -z "$list" ]; then
    # A stale list may just lack a new package: refresh once and retry.
    apt_update
    list=$(candidates "$kind" "$pkg" "$pref")
  fi
  [ -n "$list" ] || die "$kind package '$pkg' not found in Debian $suite"

  while IFS= read -r ver; do
    if "fetch_${kind}_version" "$pkg" "$dest" "$ver"; then
      [ -n "${DEBIAN_FETCH_VERBOSE:-}" ] && note "$kind $pkg $ver -> $dest"
      printf '%s\n' "$ver"
      return 0
    fi
  done <<<"$list"
  tail -n 20 "$log" >&2
  die "no listed version of $kind package '$pkg' could be fetched (tried: $(tr '\n' ' ' <<<"$list"))"
}

main "$@"; exit
