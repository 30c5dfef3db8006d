#!/usr/bin/env python3
"""Writes a `git fast-import` stream for a synthetic, deterministic history on stdout.

The history is linear on `main`: COUNT commits with realistic conventional messages (types,
scopes, bodies, `BREAKING CHANGE:` and `Refs:` footers), some non-conventional ones and a few
merge-looking subjects; each commit rewrites one tiny file, so the tree stays small and a million
commits import in minutes. An annotated tag is made every 100 commits (v0.0.1, v0.0.2, ... in
increasing semver order), except over the last 100 commits, which stay unreleased. The same seed
gives byte-identical output.

Usage: generate.py COUNT [--seed N] > stream
"""

import argparse
import random
import sys

TAG_EVERY = 100
# Committed with the first commit: version from tags, changelog from conventional commits.
RELMAN_TOML = b"""[project]
name = "bench"
tag = "v{version}"
scheme = "semver"
version-files = []

[changelog]
file = "CHANGELOG.md"
from = "commits"
"""
START = 1_420_070_400  # 2015-01-01T00:00:00Z

TYPES = [
    ("feat", 30), ("fix", 30), ("docs", 8), ("chore", 8), ("refactor", 6), ("perf", 3),
    ("test", 5), ("ci", 3), ("build", 3), ("style", 2),
]
SCOPES = [
    None, None, None, "cli", "core", "api", "parser", "config", "docs", "deps", "ui", "auth",
    "db", "http", "build", "release", "git", "changelog",
]
VERBS = [
    "add", "remove", "fix", "support", "handle", "rename", "improve", "simplify", "document",
    "update", "allow", "reject", "speed up", "cache", "validate", "deprecate", "expose", "split",
]
NOUNS = [
    "the config loader", "empty tags", "pre-release labels", "the retry loop", "unicode paths",
    "the progress bar", "shallow clones", "a missing token", "the journal", "version files",
    "the lock file", "signed tags", "the changelog template", "trailing newlines", "rate limits",
    "the HTTP client", "windows line endings", "large repositories", "the docs site",
    "error messages", "timeouts", "the release branch", "nested workspaces", "the schema",
]
WORDS = (
    "the a this that when with without because so we now also only never before after "
    "release version tag commit branch remote file line value user error output input "
    "change behaviour default option flag check test case path name time cache request "
    "response parse render write read keep drop fail pass skip handle return call"
).split()
NAMES = [
    "Ana Lima", "Ben Okafor", "Chen Wei", "Dana Cohen", "Elif Yilmaz", "Femi Adeyemi",
    "Greta Nilsson", "Hiro Tanaka", "Ines Duarte", "Jonas Weber", "Kavya Rao", "Lena Novak",
    "Mateo Rossi", "Nora Haddad", "Omar Farouk", "Priya Shah", "Quinn Murphy", "Rosa Ortega",
    "Sven Berg", "Tomasz Zielinski", "Uma Patel", "Victor Dubois", "Wen Li", "Yara Costa",
]


def sentence(rng, low=6, high=16):
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    lines, line = [], []
    for _ in range(rng.randint(1, 4)):
        for word in sentence(rng).split():
            if sum(len(w) + 1 for w in line) + len(word) > 72:
                lines.append(" ".join(line))
                line = []
            line.append(word)
    lines.append(" ".join(line))
    return "\n".join(lines)


def weighted_type(rng):
    total = sum(weight for _, weight in TYPES)
    pick = rng.randrange(total)
    for name, weight in TYPES:
        if pick < weight:
            return name
        pick -= weight
    return TYPES[0][0]


def message(rng, index):
    roll = rng.random()
    if roll < 0.02:
        branch = f"{rng.choice(NAMES).split()[0].lower()}/{rng.choice(VERBS).replace(' ', '-')}"
        return f"Merge pull request #{rng.randint(1, 9999)} from {branch}\n\n{sentence(rng)}\n"
    if roll < 0.03:
        return f"Merge branch 'release/{rng.randint(0, 9)}.{rng.randint(0, 30)}' into main\n"
    if roll < 0.10:
        subject = rng.choice(["Update README", "WIP", "typo", "Bump dependencies",
                              f"Revert \"{rng.choice(VERBS)} {rng.choice(NOUNS)}\"",
                              f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)}"])
        body = f"\n\n{paragraph(rng)}" if rng.random() < 0.3 else ""
        return f"{subject}{body}\n"
    kind = weighted_type(rng)
    scope = rng.choice(SCOPES)
    breaking = rng.random() < 0.01
    head = kind + (f"({scope})" if scope else "") + ("!" if breaking and rng.random() < 0.5 else "")
    parts = [f"{head}: {rng.choice(VERBS)} {rng.choice(NOUNS)}"]
    for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]):
        parts.append(paragraph(rng))
    footers = []
    if breaking:
        footers.append(f"BREAKING CHANGE: {sentence(rng)}")
    if rng.random() < 0.25:
        footers.append(f"Refs: #{rng.randint(1, 5000)}")
    if rng.random() < 0.05:
        footers.append(f"Co-authored-by: {rng.choice(NAMES)} <dev{rng.randint(1, 99)}@example.com>")
    if rng.random() < 0.05:
        footers.append(f"Reviewed-by: {rng.choice(NAMES)}")
    if footers:
        parts.append("\n".join(footers))
    return "\n\n".join(parts) + "\n"


def tag_version(number):
    return f"{number // 100}.{(number // 10) % 10}.{number % 10}"


def write_data(out, payload):
    out.write(b"data %d\n" % len(payload))
    out.write(payload)
    out.write(b"\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout.buffer
    when = START
    tags = 0
    last_tagged = args.count - TAG_EVERY
    for index in range(1, args.count + 1):
        when += rng.randint(60, 7200)
        name = rng.choice(NAMES)
        email = name.lower().replace(" ", ".") + "@example.com"
        ident = f"{name} <{email}> {when} +0000".encode()
        out.write(b"commit refs/heads/main\nmark :%d\n" % index)
        out.write(b"author " + ident + b"\ncommitter " + ident + b"\n")
        write_data(out, message(rng, index).encode())
        if index == 1:
            out.write(b"M 644 inline relman.toml\n")
            write_data(out, RELMAN_TOML)
        out.write(b"M 644 inline counter.txt\n")
        write_data(out, b"%d\n" % index)
        if index % TAG_EVERY == 0 and index <= last_tagged:
            tags += 1
            version = tag_version(tags)
            out.write(f"tag v{version}\nfrom :{index}\n".encode())
            out.write(b"tagger " + ident + b"\n")
            write_data(out, f"Release {version}\n".encode())
    out.write(b"done\n")


if __name__ == "__main__":
    main()
