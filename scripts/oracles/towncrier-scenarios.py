#!/usr/bin/env python3
"""Regenerate the expected news files of relman's towncrier scenarios with the real towncrier.

Each folder under crates/relman-version/tests/data/towncrier/ holds `project/` (a configuration,
fragments, maybe a news file) and `args.toml` (version, date, optional name). For each, this copies
`project/` to a temporary folder outside any git repository, runs
`towncrier build --yes --version V --date D [--name N]` there, and stores:

- `expected.md` or `expected.rst`: the news file towncrier wrote (the one file it created or changed);
- `expected-effects.txt`: `news PATH` for that file, then `removed PATH` for each fragment it deleted.

It also records the towncrier version in `TOWNCRIER_VERSION`. Usage:

    pip install towncrier   # into a venv, for example /work/venvs/towncrier
    scripts/oracles/towncrier-scenarios.py [SCENARIO...]

`TOWNCRIER` overrides the command (default: `towncrier` on PATH). Scenarios must not contain two
fragments of one issue and type with different texts: towncrier orders those by directory listing
order, which differs between machines (the live test covers that case instead).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "crates/relman-version/tests/data/towncrier"


def snapshot(folder: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def run(scenario: Path, towncrier: list[str]) -> None:
    args = tomllib.loads((scenario / "args.toml").read_text())
    with tempfile.TemporaryDirectory(prefix="relman-towncrier-") as temp:
        project = Path(temp) / "project"
        shutil.copytree(scenario / "project", project)
        before = snapshot(project)
        command = towncrier + ["build", "--yes", "--version", args["version"], "--date", args["date"]]
        if "name" in args:
            command += ["--name", args["name"]]
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{scenario.name}: towncrier failed ({result.returncode}):\n{result.stdout}{result.stderr}")
        after = snapshot(project)
        changed = sorted(p for p in after if before.get(p) != after[p])
        removed = sorted(p for p in before if p not in after)
        if len(changed) != 1:
            sys.exit(f"{scenario.name}: expected towncrier to write one file, it wrote {changed}")
        news = changed[0]
        for stale in scenario.glob("expected.*"):
            stale.unlink()
        suffix = Path(news).suffix or ".txt"
        (scenario / f"expected{suffix}").write_bytes(after[news])
        effects = [f"news {news}"] + [f"removed {p}" for p in removed]
        (scenario / "expected-effects.txt").write_text("\n".join(effects) + "\n")
        print(f"{scenario.name}: {news}, {len(removed)} fragments removed")


def main() -> None:
    towncrier = os.environ.get("TOWNCRIER", "towncrier").split()
    if shutil.which(towncrier[0]) is None:
        sys.exit(f"{towncrier[0]} not found: pip install towncrier, or set TOWNCRIER")
    version = subprocess.run(towncrier + ["--version"], capture_output=True, text=True, check=True).stdout.strip()
    (ROOT / "TOWNCRIER_VERSION").write_text(version + "\n")
    names = sys.argv[1:] or sorted(p.name for p in ROOT.iterdir() if (p / "args.toml").is_file())
    for name in names:
        run(ROOT / name, towncrier)


if __name__ == "__main__":
    main()
