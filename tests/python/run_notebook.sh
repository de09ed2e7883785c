#!/usr/bin/env bash
# Executes a notebook: with Jupyter's nbconvert when Debian's is installed, else
# its code cells in order as one script (the same code, without a kernel).
set -euo pipefail
notebook=$1
if command -v jupyter-nbconvert >/dev/null; then
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
  jupyter-nbconvert --to notebook --execute --output-dir "$out" "$notebook"
else
  /usr/bin/python3 - "$notebook" <<'PY'
import json, sys
cells = json.load(open(sys.argv[1]))["cells"]
code = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
exec(compile(code, sys.argv[1], "exec"), {"__name__": "__main__"})
PY
fi
