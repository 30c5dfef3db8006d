#!/bin/sh
# Copies the version of pyproject.toml into lab/__version__.py. relman's version files do this
# in the release; the script stays for `make preversion` outside a release.
set -eu
version=$(python3 scripts/project_version.py)
printf '# Kept in step with pyproject.toml by the release (relman'"'"'s version files).\n__version__ = "%s"\n' "$version" > lab/__version__.py
