import os
from setuptools import setup

VERSION = "2.2.0"

setup(name="ciso8601", version=VERSION, packages=["ciso8601"])
