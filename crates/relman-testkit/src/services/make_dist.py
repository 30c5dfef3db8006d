"""Builds a tiny but valid wheel or sdist, so twine accepts it and indexes list it.

usage: make_dist.py wheel|sdist OUT_DIR NAME VERSION [WHEEL_TAG]
WHEEL_TAG (default py3-none-any) is the wheel's compatibility tag, e.g.
cp312-cp312-manylinux_2_17_x86_64 for a binary wheel as cibuildwheel names them. Prints the path of the file it wrote. The file names follow the packaging specs: the name is
normalised with underscores (PEP 427 / PEP 625), the version is used as given.
"""

import base64
import hashlib
import io
import os
import re
import sys
import tarfile
import zipfile


def metadata(name, version):
    return "Metadata-Version: 2.1\nName: %s\nVersion: %s\nSummary: relman test package\n" % (
        name,
        version,
    )


def wheel(out, name, version, tag="py3-none-any"):
    stem = re.sub(r"[-_.]+", "_", name).lower()
    dist_info = "%s-%s.dist-info" % (stem, version)
    files = {
        "%s/__init__.py" % stem: "__version__ = %r\n" % version,
        dist_info + "/METADATA": metadata(name, version),
        dist_info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: relman-tests\n"
        "Root-Is-Purelib: %s\nTag: %s\n" % ("true" if tag == "py3-none-any" else "false", tag),
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=")
        record.append("%s,sha256=%s,%d" % (path, digest.decode(), len(text.encode())))
    record.append(dist_info + "/RECORD,,")
    files[dist_info + "/RECORD"] = "\n".join(record) + "\n"
    path = os.path.join(out, "%s-%s-%s.whl" % (stem, version, tag))
    with zipfile.ZipFile(path, "w") as archive:
        for name_in_zip, text in files.items():
            archive.writestr(name_in_zip, text)
    return path


def sdist(out, name, version):
    stem = re.sub(r"[-_.]+", "_", name).lower()
    root = "%s-%s" % (stem, version)
    files = {
        root + "/PKG-INFO": metadata(name, version),
        root + "/pyproject.toml": '[project]\nname = "%s"\nversion = "%s"\n' % (name, version),
    }
    path = os.path.join(out, root + ".tar.gz")
    with tarfile.open(path, "w:gz") as archive:
        for name_in_tar, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name_in_tar)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


if __name__ == "__main__":
    kind, out, name, version = sys.argv[1:5]
    extra = sys.argv[5:]
    print({"wheel": wheel, "sdist": sdist}[kind](out, name, version, *extra))
