"""The `lab` command line."""

import sys

from lab.__version__ import __version__

# `lab runtimes`: the images `make generate-docker` writes a Dockerfile for.
RUNTIMES = {
    "all": "python:3.11-slim",
    "client-gpu": "nvidia/cuda:12.2.2-runtime-ubuntu22.04",
    "client": "python:3.11-slim",
}


def main(argv=None):
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--version"]:
        print(__version__)
        return 0
    if args[:1] == ["runtimes"]:
        for name, base in RUNTIMES.items():
            print(f"{name} {base}")
        return 0
    print("usage: lab --version | lab runtimes", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
