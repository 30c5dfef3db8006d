"""`make publish`: uploads with twine the files of dist/ that the index does not list yet.

twine's own --skip-existing works on PyPI only; this works with any index (PyPI, TestPyPI, a
pypiserver or devpi), so a publish interrupted half-way can simply run again. Where to upload is
twine's TWINE_REPOSITORY_URL (default PyPI); where to look is PYPI_SIMPLE_URL (default PyPI's).
"""

import os
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request

with open("pyproject.toml", "rb") as file:
    NAME = tomllib.load(file)["tool"]["poetry"]["name"]
INDEX = os.environ.get("PYPI_SIMPLE_URL", "https://pypi.org/simple/")
PROJECT = re.sub(r"[-_.]+", "-", NAME).lower()

try:
    with urllib.request.urlopen(f"{INDEX.rstrip('/')}/{PROJECT}/", timeout=60) as response:
        listed = response.read().decode()
except urllib.error.HTTPError as error:
    if error.code != 404:
        raise
    listed = ""

files = sorted(os.path.join("dist", name) for name in os.listdir("dist"))
missing = [path for path in files if os.path.basename(path) not in listed]
for path in files:
    if path not in missing:
        print(f"{os.path.basename(path)} is on the index already")
if missing:
    sys.exit(subprocess.run(["twine", "upload", "--non-interactive", *missing]).returncode)
