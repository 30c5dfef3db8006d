"""Run machine-learning experiments on a laptop or a cluster."""

from lab.__version__ import __version__

__all__ = ["__version__"]
