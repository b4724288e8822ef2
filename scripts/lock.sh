#!/usr/bin/env bash
# Refresh the lock files in requirements/ from the ranges in pyproject.toml:
#
#   bash scripts/lock.sh              add or drop what pyproject.toml's ranges now ask for, keeping
#                                     every other pinned version
#   bash scripts/lock.sh --upgrade    move every package to the newest release its range allows
#
# Each lock file pins every package, direct and transitive, with the hashes of its files, for
# Python 3.11 on Linux (what CI and the published build run): site.txt (the build), test.txt (the
# build and the test suite), editors.txt (the build and the editors' pre-commit hook). pip-tools
# runs in a throwaway virtual environment, itself at a fixed version, so that the same ranges give
# the same files on any machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PIP_TOOLS_VERSION=7.7.0
tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/pip" install -q --disable-pip-version-check "pip-tools==$PIP_TOOLS_VERSION"
compile() {  # compile OUTPUT [EXTRA]
  "$tools/bin/pip-compile" --quiet --strip-extras --generate-hashes --allow-unsafe --no-emit-index-url \
    --no-emit-find-links --build-deps-for editable --output-file "requirements/$1" "${@:3}" \
    ${2:+--extra "$2"} pyproject.toml
}
compile site.txt "" "$@"
compile test.txt test "$@"
compile editors.txt editors "$@"
echo "requirements/: site.txt, test.txt and editors.txt are up to date (git diff requirements/ shows what changed)."
