"""`make generate-docker`: one Dockerfile per runtime that `lab runtimes` lists, under build/docker/.

Each installs the wheel `make build` wrote for the current version on the runtime's base image.
"""

import os
import subprocess
import sys
import tomllib

with open("pyproject.toml", "rb") as file:
    VERSION = tomllib.load(file)["tool"]["poetry"]["version"]
WHEEL = f"lab-{VERSION}-py3-none-any.whl"

runtimes = subprocess.run(
    [sys.executable, "-m", "lab.cli", "runtimes"],
    check=True,
    capture_output=True,
    text=True,
).stdout.splitlines()
for line in runtimes:
    name, base = line.split()
    folder = os.path.join("build", "docker", name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "Dockerfile"), "w", encoding="utf-8") as file:
        file.write(
            f"FROM {base}\n"
            f"LABEL org.opencontainers.image.version=\"{VERSION}\"\n"
            f"COPY dist/{WHEEL} /tmp/{WHEEL}\n"
            f"RUN pip install --no-cache-dir /tmp/{WHEEL} && rm /tmp/{WHEEL}\n"
            f"ENV LAB_RUNTIME={name}\n"
            "ENTRYPOINT [\"lab\"]\n"
        )
    print(f"wrote {folder}/Dockerfile")
