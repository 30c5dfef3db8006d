# Kept in step with pyproject.toml by the release (relman's version files).
__version__ = "1.3.0a0"
