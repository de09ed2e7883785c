#!/usr/bin/env bash
# Vendors the few files of npm's swagger-ui-dist that /docs serves, so that
# the docs page works offline and without a CDN. Run it to update the version.
set -euo pipefail
version="${1:-5.35.0}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "swagger-ui-dist@$version" --silent >/dev/null && tar xzf swagger-ui-dist-*.tgz)
for f in swagger-ui-bundle.js swagger-ui.css swagger-ui-bundle.js.LICENSE.txt LICENSE NOTICE favicon-32x32.png; do
  cp "$work/package/$f" "$here/$f"
done
echo "swagger-ui-dist $version" > "$here/VERSION"
