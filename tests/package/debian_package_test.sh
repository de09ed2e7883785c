#!/usr/bin/env bash
# Builds the Debian package from BUILD_DIR and checks it as clinic IT would use it:
# its metadata and dependencies, lintian's errors, an install into a fresh root
# (a Debian 12 from mmdebstrap where it can, else dpkg --root; maintainer
# scripts included: user, 0700 data directory, labels beside the weights), the
# installed program's --version, `models --verify` and a real analysis, the
# units under systemd-analyze verify, and the refusal to install over a data
# directory of another layout.
#   tests/package/debian_package_test.sh BUILD_DIR SHARED_DIR
set -euo pipefail
build_dir=$1 shared=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

deb=$("$src/scripts/package.sh" --build-dir "$build_dir" --out "$work" | tail -1)
version=$(sed -n 's/^project(soundlens VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ "$(basename "$deb")" = "soundlens_${version}_amd64.deb" ] || fail "package name $(basename "$deb")"

# Metadata: the libraries the program links are declared, so apt pulls them.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libtorch libavformat libcairo2 libsqlite3 libpq5 libcpp-httplib; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/soundlens ./usr/share/soundlens/web/index.html ./lib/systemd/system/soundlens.service \
            ./lib/systemd/system/soundlens-worker.service ./etc/soundlens/soundlens.conf \
            ./usr/share/soundlens/labels/class_labels_indices.csv ./usr/share/soundlens/api-docs/swagger-ui-bundle.js; do
  grep -q " $path\$" <<<"$contents" || fail "the package lacks $path"
done
if grep -q '\.pt$\|\.pth$\|\.tflite$' <<<"$contents"; then fail "the package holds model weights"; fi

# lintian's errors (warnings are reported, not fatal).
if command -v lintian >/dev/null; then
  lintian --tag-display-limit 0 "$deb" > "$work/lintian.txt" 2>&1 || true
  cat "$work/lintian.txt"
  if grep -q '^E:' "$work/lintian.txt"; then fail "lintian reports errors"; fi
else
  fail "lintian is not installed (scripts/install-deps.sh installs it)"
fi

# A fresh root. Where the machine has mmdebstrap, may mount (its root mode) and
# reaches Debian's mirror: a Debian 12 built from Debian's packages, into which
# apt installs the .deb, pulling its declared Depends (a missing or wrong one
# fails here) and running the maintainer scripts inside it; the program then
# runs there, on those libraries only. Otherwise: an empty root that dpkg --root
# fills (Depends unchecked), the maintainer scripts run on this machine with
# DPKG_ROOT, and the program runs with this machine's libraries.
root=$work/root
mirror=http://deb.debian.org/debian
install_into() {
  dpkg --root="$1" --force-depends --force-script-chrootless --force-not-root --log=/dev/null -i "$2"
}
mirror_reachable() {
  /usr/bin/python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=20)' \
    "$mirror/dists/bookworm/InRelease" 2>/dev/null
}
# The fresh root downloads some 400 MB of Debian's packages on a clean machine (15 min and more), so it
# runs when asked: SOUNDLENS_PACKAGE_FRESH_ROOT=1 (before a release); the test command's default is dpkg --root.
if [ "${SOUNDLENS_PACKAGE_FRESH_ROOT:-0}" = 1 ] && command -v mmdebstrap >/dev/null && unshare --mount true 2>/dev/null \
   && mirror_reachable; then
  how=mmdebstrap
  cache=$build_dir/deb-cache  # Debian's packages, downloaded once and kept for the next run
  mkdir -p "$cache"
  mmdebstrap --variant=apt --skip=essential/unlink --include="$deb" \
    --hook-dir=/usr/share/mmdebstrap/hooks/file-mirror-automount \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives/' --setup-hook="sync-in $cache /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives $cache" \
    bookworm "$root" "$mirror" > "$work/install.txt" 2>&1 || { cat "$work/install.txt"; fail "mmdebstrap with the package"; }
  # The weights and a recording copied in, as an admin would.
  cp -r "$shared/models/efficientat" "$shared/models/yamnet" "$root/var/lib/soundlens/models/"
  cp "$shared/audio/example/metro_station-paris.wav" "$root/tmp/metro.wav"
  metro=/tmp/metro.wav
  # With /proc, as a booted system has it (LibTorch reads /proc/cpuinfo), in a
  # mount namespace of its own: nothing stays mounted when it ends.
  installed() {
    unshare --mount --propagation private sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' \
      "$root" env SOUNDLENS_MODEL_DIR=/var/lib/soundlens/models soundlens "$@"
  }
else
  how="dpkg --root (SOUNDLENS_PACKAGE_FRESH_ROOT=1 asks for a fresh Debian root from mmdebstrap)"
  # dpkg's database and a passwd with root only.
  mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
  touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
  echo 'root:x:0:0:root:/root:/bin/bash' > "$root/etc/passwd"
  echo 'root:x:0:' > "$root/etc/group"
  echo 'root:*:19000:0:99999:7:::' > "$root/etc/shadow"
  echo 'root:*::' > "$root/etc/gshadow"
  chmod 0640 "$root/etc/shadow" "$root/etc/gshadow"
  install_into "$root" "$deb" > "$work/install.txt" 2>&1 || { cat "$work/install.txt"; fail "dpkg -i into a fresh root"; }
  # The labels from the package, the weights from the shared folder.
  models=$work/models
  mkdir -p "$models"
  ln -s "$root/usr/share/soundlens/labels" "$models/labels"
  ln -s "$shared/models/efficientat" "$models/efficientat"
  ln -s "$shared/models/yamnet" "$models/yamnet"
  metro=$shared/audio/example/metro_station-paris.wav
  installed() { SOUNDLENS_MODEL_DIR=$models "$root/usr/bin/soundlens" "$@"; }
fi
echo "debian package: installed into a fresh root with $how"
grep -q '^soundlens:' "$root/etc/passwd" || fail "postinst did not create the soundlens user"
for dir in /var/lib/soundlens /var/lib/soundlens/data /var/lib/soundlens/models; do
  [ "$(stat -c %a "$root$dir")" = 700 ] || fail "$dir is $(stat -c %a "$root$dir"), not 0700"
done
# An absolute link, so read it as the installed system will.
[ -f "$root$(readlink "$root/var/lib/soundlens/models/labels")/class_labels_indices.csv" ] \
  || fail "labels not linked beside the weights"
[ "$(stat -c %a "$root/etc/soundlens/soundlens.conf")" = 640 ] || fail "soundlens.conf is not 0640"

# The installed program: version and commit, the models it finds, a real analysis.
installed --version | grep -q "^soundlens $version (commit [0-9a-f]\{12\}\(-modified\)\?)$" \
  || fail "--version says: $(installed --version 2>&1)"
installed models --verify > "$work/models.txt" 2>&1 || true
cat "$work/models.txt"
grep -q "mn04_as" "$work/models.txt" || fail "models --verify does not list mn04_as"
installed analyze "$metro" --json > "$work/analysis.json" || fail "analysis with the installed program"
/usr/bin/python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); assert a["predictions"][0]["label"]=="Train", a["predictions"][0]' \
  "$work/analysis.json" || fail "the installed program's analysis of the metro clip is not Train first"

# The units, as systemd reads them, against the installed tree (with this
# machine's own units beside them: the targets they are ordered against).
cp -rn /lib/systemd/system/. "$root/lib/systemd/system/"
for unit in soundlens.service soundlens-worker.service; do
  systemd-analyze verify --root="$root" "/lib/systemd/system/$unit" > "$work/verify.txt" 2>&1 \
    || { cat "$work/verify.txt"; fail "systemd-analyze verify $unit"; }
done

# A hand install's history at the top of the data directory: refused, with what to move.
if [ "$how" = mmdebstrap ]; then
  cp "$deb" "$root/tmp/soundlens.deb"
  chroot "$root" dpkg --purge soundlens > "$work/purge.txt" 2>&1 || { cat "$work/purge.txt"; fail "dpkg --purge"; }
  rm -rf "$root/var/lib/soundlens"
  mkdir -p "$root/var/lib/soundlens"
  touch "$root/var/lib/soundlens/soundlens.db"
  if chroot "$root" dpkg -i /tmp/soundlens.deb > "$work/old.txt" 2>&1; then fail "installed over a hand install's data directory"; fi
else
  old=$work/old
  cp -a "$root" "$old"
  rm -rf "$old/var/lib/dpkg/info/soundlens."* "$old/var/lib/soundlens"
  : > "$old/var/lib/dpkg/status"
  mkdir -p "$old/var/lib/soundlens"
  touch "$old/var/lib/soundlens/soundlens.db"
  if install_into "$old" "$deb" > "$work/old.txt" 2>&1; then fail "installed over a hand install's data directory"; fi
fi
grep -q "move soundlens.db" "$work/old.txt" || { cat "$work/old.txt"; fail "the refusal does not say what to move"; }
echo "debian package: ok ($(du -h "$deb" | cut -f1), $(basename "$deb"), installed with $how)"
