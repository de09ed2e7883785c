#!/usr/bin/env bash
# Builds soundlens_<version>_amd64.deb from a built tree: the program, the web
# app's static files, the API docs page, the AudioSet labels, systemd units for
# the service and a PostgreSQL worker, /etc/soundlens/soundlens.conf. No weights:
# they come from `soundlens models pull` or a copy into /var/lib/soundlens/models.
#   scripts/package.sh [--build-dir DIR] [--out DIR]
# Builds the program (not the tests) and the web app first when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build_dir=build
out_dir=$PWD
while (($#)); do
  case $1 in
    --build-dir) build_dir=$2; shift 2 ;;
    --out) out_dir=$2; shift 2 ;;
    *) echo "package.sh: unknown option $1 (use --build-dir DIR, --out DIR)" >&2; exit 2 ;;
  esac
done
build_dir=$(realpath -m "$build_dir")
mkdir -p "$out_dir"
out_dir=$(realpath "$out_dir")

labels=$root/../shared/models/labels/class_labels_indices.csv
[ -f "$labels" ] || labels=$root/models/labels/class_labels_indices.csv
if [ ! -f "$labels" ]; then
  echo "package.sh: the AudioSet labels (labels/class_labels_indices.csv) are in neither ../shared/models nor ./models" >&2
  exit 1
fi
if [ ! -x "$build_dir/src/soundlens" ] || [ ! -f web/out/index.html ]; then
  scripts/build.sh --program-only --build-dir "$build_dir"
fi
swagger=web/node_modules/swagger-ui-dist
[ -f $swagger/swagger-ui-bundle.js ] || { echo "package.sh: $swagger is missing (run scripts/build.sh)" >&2; exit 1; }

version=$(sed -n 's/^project(soundlens VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -D -m 0755 -s "$build_dir/src/soundlens" "$stage/usr/bin/soundlens"
mkdir -p "$stage/usr/share/soundlens"
cp -r web/out "$stage/usr/share/soundlens/web"
install -d "$stage/usr/share/soundlens/api-docs"
install -m 0644 $swagger/swagger-ui-bundle.js $swagger/swagger-ui.css "$stage/usr/share/soundlens/api-docs/"
install -D -m 0644 "$labels" "$stage/usr/share/soundlens/labels/class_labels_indices.csv"
install -D -m 0644 packaging/debian/soundlens.service "$stage/lib/systemd/system/soundlens.service"
install -D -m 0644 packaging/debian/soundlens-worker.service "$stage/lib/systemd/system/soundlens-worker.service"
install -D -m 0640 packaging/debian/soundlens.conf "$stage/etc/soundlens/soundlens.conf"
install -D -m 0644 packaging/debian/copyright "$stage/usr/share/doc/soundlens/copyright"
install -m 0644 README.md "$stage/usr/share/doc/soundlens/README.md"
sed "s/@VERSION@/$version/; s/@DATE@/$(date -R -d @"$(git log -1 --format=%ct 2>/dev/null || date +%s)")/" \
  packaging/debian/changelog | gzip -9n > "$stage/usr/share/doc/soundlens/changelog.gz"
find "$stage" -type d -exec chmod 0755 {} +

# Dependencies: what the program links (dpkg-shlibdeps), and what the maintainer scripts run.
mkdir -p "$stage/DEBIAN" "$stage/debian"
printf 'Source: soundlens\n\nPackage: soundlens\nArchitecture: amd64\n' > "$stage/debian/control"
shlibs=$(cd "$stage" && dpkg-shlibdeps -O -e usr/bin/soundlens 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
rm -rf "$stage/debian"
sed "s/@VERSION@/$version/; s/@DEPENDS@/$shlibs, passwd/; s/@SIZE@/$(du -sk "$stage" | cut -f1)/" \
  packaging/debian/control > "$stage/DEBIAN/control"
echo /etc/soundlens/soundlens.conf > "$stage/DEBIAN/conffiles"
for script in preinst postinst prerm postrm; do
  install -m 0755 packaging/debian/$script "$stage/DEBIAN/$script"
done

deb="$out_dir/soundlens_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "$deb"
