#!/usr/bin/env bash
# Smoke test of the package as users get it: a wheel built from the repository, installed in a
# clean venv (no system site-packages, no source tree on the path) and run outside the repository.
#
#   1. `pip wheel --no-deps` → _build/wheel/navbok-*.whl
#   2. _build/wheel-venv: a fresh venv (kept between runs while requirements.txt is unchanged)
#      with the wheel and only the dependencies *it declares*, at the versions requirements.txt
#      pins (`-c requirements.txt`: a dependency missing from pyproject.toml is not installed,
#      so its import fails here); `pip check`.
#   3. In a temporary directory: `navbok --help`, the imports, the package data (the YAML files
#      and the book's CSS) read from the installed package.
#   4. With NAVBOK_SOURCE (a directory of recorded responses): the book's sources (_config.yml,
#      _toc.yml, chapters/, params/, data/reference/, data/local/) copied into the temporary
#      directory, then `navbok fetch` and `navbok build --kommune 3201` there, as a user of the
#      wheel would.
#      Without it (a clone without ../shared) only steps 1–3 run.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
wheels="$repo/_build/wheel"
venv="$repo/_build/wheel-venv"
kommune="${SMOKE_KOMMUNE:-3201}"
t0=$SECONDS

rm -rf "$wheels"
"${BUILD_PYTHON:-$repo/.venv/bin/python}" -m pip wheel -q --no-deps -w "$wheels" .
rm -rf "$repo/build"  # setuptools' scratch directory
wheel=("$wheels"/navbok-*.whl)
echo "wheel-smoke: built ${wheel[0]#"$repo/"}"

if ! cmp -s requirements.txt "$venv/requirements.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q -c requirements.txt "${wheel[0]}"
  cp requirements.txt "$venv/requirements.txt"
fi
# The newest wheel, with its dependencies checked again (pyproject.toml may have changed).
"$venv/bin/pip" install -q --force-reinstall --no-deps "${wheel[0]}"
"$venv/bin/pip" install -q -c requirements.txt "${wheel[0]}"
"$venv/bin/pip" check

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$venv/bin/navbok" --help >/dev/null
"$venv/bin/python" - <<'EOF'
import sys
from pathlib import Path

import navbok
import navbok.builder.pipeline  # noqa: F401
import navbok.builder.stage as stage
import navbok.cli  # noqa: F401
from navbok.analysis.barometer_config import config
from navbok.regions import regions_config
from navbok.register import register_doc
from navbok.sources.catalogue import catalogue

where = Path(navbok.__file__).resolve()
assert where.is_relative_to(Path(sys.prefix).resolve()), f"navbok imported from {where}"
register_doc(), regions_config(), catalogue(), config()
assert (stage.STATIC / "navbok.css").is_file(), "navbok.css is not in the wheel"
print(f"wheel-smoke: navbok --help and the imports work ({where.parent})")
EOF

if [ -n "${NAVBOK_SOURCE:-}" ] && [ -d "$NAVBOK_SOURCE" ]; then
  source_dir="$(cd "$NAVBOK_SOURCE" && pwd)"
  cp -r "$repo/_config.yml" "$repo/_toc.yml" "$repo/chapters" "$repo/params" .
  mkdir -p data && cp -r "$repo/data/reference" "$repo/data/local" data/
  arkiv=()
  if [ -d "$source_dir/nav/arkiv" ]; then arkiv=(--nav-arkiv "$source_dir/nav/arkiv"); fi
  "$venv/bin/navbok" fetch --from "$source_dir" "${arkiv[@]}" --snapshot snap
  "$venv/bin/navbok" build --kommune "$kommune" --snapshot snap
  test -s "_build/$kommune/html/index.html"
  echo "wheel-smoke: built the book for $kommune from the wheel"
else
  echo "wheel-smoke: NAVBOK_SOURCE not set (or missing): no fetch and build from the wheel"
fi
echo "wheel-smoke: ok ($((SECONDS - t0)) s)"
