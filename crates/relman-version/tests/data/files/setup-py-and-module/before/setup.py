import os
from setuptools import setup

VERSION = "2.1.3"

setup(name="ciso8601", version=VERSION, packages=["ciso8601"])
