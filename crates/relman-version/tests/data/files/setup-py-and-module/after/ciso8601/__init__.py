"""Fast ISO8601 parsing."""

__version__ = '2.2.0'  # also in setup.py

def version():
    return __version__
