from setuptools import setup

setup(
    name='fixture',
    # version='0.0.1',
    version='1.2.4',
    python_requires='>=3.8',
    install_requires=['dep==1.2.3'],
)
