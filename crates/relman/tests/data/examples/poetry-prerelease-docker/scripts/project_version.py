"""Prints the version in pyproject.toml (`poetry version --short`)."""

import tomllib

with open("pyproject.toml", "rb") as file:
    print(tomllib.load(file)["tool"]["poetry"]["version"])
