Add a `--verbose` flag.
