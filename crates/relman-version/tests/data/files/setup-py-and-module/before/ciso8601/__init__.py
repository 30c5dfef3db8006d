"""Fast ISO8601 parsing."""

__version__ = '2.1.3'  # also in setup.py

def version():
    return __version__
