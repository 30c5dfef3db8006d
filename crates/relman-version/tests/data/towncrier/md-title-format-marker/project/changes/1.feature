Feature one.
