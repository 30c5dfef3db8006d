"""Print, as JSON, what `poetry version RULE` answers for a grid of versions.

Run through poetry-vectors.sh. Each case writes a `[tool.poetry]` project (the `[project]` table
would add a JSON-schema check that is stricter than PEP 440, for example about upper case) and runs
`poetry version RULE --short --dry-run [--next-phase]`. The outcome is one of:

- "ok": Poetry printed the new version (`expected`);
- "invalid": Poetry refused the current version as not PEP 440; relman must refuse it too;
- "crash": Poetry failed with an internal error (an AssertionError for `prerelease` on a version
  that has a dev part but no pre-release part); relman decides for itself there, and its test
  says what it answers instead.
"""

import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

POETRY = sys.argv[1]

INPUTS = [
    # finals of every length: Poetry keeps the number of release segments
    "0", "1", "0.1", "1.0", "1.2", "2.0", "0.0.1", "0.1.0", "1.0.0", "1.2.0", "1.2.3", "10.0.9",
    "1.2.3.4", "1.2.0.0", "1.0.0.1", "0.0.0",
    # epochs
    "1!2.0", "1!1.2.3a1", "2!0.9",
    # pre-releases, in every spelling PEP 440 normalises
    "1.2.3a0", "1.2.3a1", "1.2.3b2", "1.2.3rc1", "1.2.3c1", "1.2.0a1", "1.0.0a1", "2.0.0rc0",
    "1.0a1", "1a1", "1.2.3alpha1", "1.2.3-beta.2", "1.2.3.RC1", "1.2.3pre1", "1.2.3preview2",
    "1.2.3a", "1.2.0.0b1", "0.1.0rc1", "1.2.3_a1", "1.0.0-rc.1+build",
    # post-releases
    "1.2.3.post1", "1.2.3.post0", "1.2.3-1", "1.2.3rev2", "1.2.3r3", "1.2.3a1.post1",
    "1.2.3.post1.dev0", "1.0.post2", "1.2.3.post",
    # development releases
    "1.2.3.dev0", "1.2.4.dev3", "1.2.3a1.dev0", "1.2.3rc2.dev1", "1.0.dev0", "1.2.0.dev0",
    "1.2.3.dev",
    # local versions: read, then dropped by every bump
    "1.2.3+local", "1.2.3+abc.5", "1.2.3a1+ubuntu-1", "1.2.3.post1+x",
    # normalisation of the text around the version
    "v1.2.3", "V1.0", " 1.2.3 ",
    # not PEP 440
    "1.2.x", "abc", "1..2", "1.2.3-alpha.beta", "1.2.3+", "1.2.3++x", "1.2.3 4",
    "1.2.3-SNAPSHOT", "latest", "1.2.3.a.b", "1.2.3-rc.1-2", "01.2.3_dev",
]

RULES = ["patch", "minor", "major", "prepatch", "preminor", "premajor", "prerelease"]


def toml_string(text):
    return json.dumps(text)  # a JSON string literal is a valid TOML basic string


def run(case):
    version, rule, next_phase = case
    with tempfile.TemporaryDirectory() as project:
        with open(os.path.join(project, "pyproject.toml"), "w") as f:
            f.write(
                "[tool.poetry]\n"
                'name = "oracle"\n'
                f"version = {toml_string(version)}\n"
                'description = ""\n'
                "authors = []\n"
            )
        args = [POETRY, "version", rule, "--short", "--dry-run", "--no-interaction"]
        if next_phase:
            args.append("--next-phase")
        env = dict(os.environ, POETRY_CACHE_DIR=os.path.join(project, ".cache"), NO_COLOR="1")
        done = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True)
    output = (done.stdout + done.stderr).strip()
    entry = {"input": version, "rule": rule, "next_phase": next_phase}
    if done.returncode == 0:
        entry.update(outcome="ok", expected=done.stdout.strip())
    elif "Invalid version" in output or "doesn't seem to follow semver" in output:
        entry.update(outcome="invalid", expected=None)
    elif "AssertionError" in output:
        entry.update(outcome="crash", expected=None)
    else:
        raise SystemExit(f"unexpected answer from poetry for {case}:\n{output}")
    return entry


def main():
    cases = [(v, r, False) for v in INPUTS for r in RULES]
    cases += [(v, "prerelease", True) for v in INPUTS]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        entries = list(pool.map(run, cases))
    version = subprocess.run([POETRY, "--version"], capture_output=True, text=True).stdout.strip()
    lines = ",\n".join("    " + json.dumps(e) for e in entries)
    sys.stdout.write("{\n")
    sys.stdout.write('  "generator": "scripts/oracles/poetry-vectors.sh",\n')
    sys.stdout.write(
        f'  "oracle": "{version}: poetry version RULE --short --dry-run [--next-phase]",\n'
    )
    sys.stdout.write('  "cases": [\n' + lines + "\n  ]\n}\n")


main()
