#!/usr/bin/env python3
"""Writes a `git fast-import` stream of a synthetic monorepo on stdout: a Cargo workspace of
PACKAGES crates (`crates/p000` ... with `Cargo.toml` manifests) over COUNT linear commits. Each
commit changes one crate's source (sometimes a file at the root), with a conventional message
scoped to it; each crate is released about every RELEASE_EVERY commits, at its own offset, by a
commit that sets its manifest's version and an annotated tag `pNNN-vX.Y.Z`. The oldest last
release is therefore about RELEASE_EVERY commits before HEAD. Deterministic for a seed.

Usage: generate_packages.py COUNT [--packages N] [--release-every K] [--seed N] > stream
"""

import argparse
import random
import sys

from generate import message, write_data, NAMES, START


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--packages", type=int, default=100)
    parser.add_argument("--release-every", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout.buffer
    names = [f"p{index:03d}" for index in range(args.packages)]
    # Each crate's release offset, spread over the cadence.
    offsets = {name: (index * args.release_every) // args.packages for index, name in enumerate(names)}
    releases = {name: 0 for name in names}
    when = START
    for index in range(1, args.count + 1):
        when += rng.randint(60, 7200)
        author = rng.choice(NAMES)
        email = author.lower().replace(" ", ".") + "@example.com"
        ident = f"{author} <{email}> {when} +0000".encode()
        released = [name for name in names if index > args.packages and (index - offsets[name]) % args.release_every == 0]
        out.write(b"commit refs/heads/main\nmark :%d\n" % index)
        out.write(b"author " + ident + b"\ncommitter " + ident + b"\n")
        if index == 1:
            write_data(out, b"feat: start the workspace\n")
            members = "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n"
            out.write(b"M 644 inline Cargo.toml\n")
            write_data(out, members.encode())
            for name in names:
                out.write(f"M 644 inline crates/{name}/Cargo.toml\n".encode())
                manifest = f"[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n"
                write_data(out, manifest.encode())
                out.write(f"M 644 inline crates/{name}/src/lib.rs\n".encode())
                write_data(out, b"\n")
            continue
        if released:
            write_data(out, ("chore(release): " + ", ".join(released) + "\n").encode())
            for name in released:
                releases[name] += 1
                version = f"0.{releases[name]}.0"
                manifest = f"[package]\nname = \"{name}\"\nversion = \"{version}\"\nedition = \"2021\"\n"
                out.write(f"M 644 inline crates/{name}/Cargo.toml\n".encode())
                write_data(out, manifest.encode())
            for name in released:
                version = f"0.{releases[name]}.0"
                out.write(f"tag {name}-v{version}\nfrom :{index}\n".encode())
                out.write(b"tagger " + ident + b"\n")
                write_data(out, f"Release {name} {version}\n".encode())
            continue
        write_data(out, message(rng, index).encode())
        if rng.random() < 0.05:
            out.write(b"M 644 inline counter.txt\n")
        else:
            name = rng.choice(names)
            out.write(f"M 644 inline crates/{name}/src/lib.rs\n".encode())
        write_data(out, b"%d\n" % index)
    out.write(b"done\n")


if __name__ == "__main__":
    main()
