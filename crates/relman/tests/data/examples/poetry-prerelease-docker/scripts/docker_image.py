"""What `docker build` and `docker push` do for the Makefile, where no Docker engine runs.

usage: docker_image.py build RUNTIME          builds build/images/RUNTIME (an OCI image layout)
       docker_image.py push RUNTIME IMAGE:TAG pushes it through the registry HTTP API

`build` turns build/docker/RUNTIME/Dockerfile and the wheel it installs into a one-layer image
(reproducible: same inputs, same digest). `push` uploads the blobs the registry lacks, then the
manifest under the tag. A registry on 127.0.0.1 or localhost is spoken to over plain HTTP, as
Docker does; others over HTTPS, with the basic login in DOCKER_USERNAME / DOCKER_PASSWORD if set.
"""

import base64
import gzip
import hashlib
import io
import json
import os
import re
import sys
import tarfile
import urllib.error
import urllib.parse
import urllib.request

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def layout(runtime):
    return os.path.join("build", "images", runtime)


def build(runtime):
    dockerfile = os.path.join("build", "docker", runtime, "Dockerfile")
    with open(dockerfile, "rb") as file:
        recipe = file.read()
    wheel = re.search(rb"COPY (\S+)", recipe).group(1).decode()
    with open(wheel, "rb") as file:
        wheel_bytes = file.read()
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, data in [
            ("opt/lab/Dockerfile", recipe),
            ("opt/lab/" + os.path.basename(wheel), wheel_bytes),
        ]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(data))
    layer_tar = tar_bytes.getvalue()
    layer = gzip.compress(layer_tar, mtime=0)
    version = re.search(rb'image.version="([^"]+)"', recipe).group(1).decode()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {
                "Entrypoint": ["lab"],
                "Env": [f"LAB_RUNTIME={runtime}"],
                "Labels": {"org.opencontainers.image.version": version},
            },
            "rootfs": {"type": "layers", "diff_ids": [digest(layer_tar)]},
        },
        sort_keys=True,
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST,
            "config": {"mediaType": CONFIG, "digest": digest(config), "size": len(config)},
            "layers": [{"mediaType": LAYER, "digest": digest(layer), "size": len(layer)}],
        },
        sort_keys=True,
    ).encode()
    blobs = os.path.join(layout(runtime), "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)
    for data in (config, layer, manifest):
        with open(os.path.join(blobs, digest(data).split(":")[1]), "wb") as file:
            file.write(data)
    index = {
        "schemaVersion": 2,
        "manifests": [{"mediaType": MANIFEST, "digest": digest(manifest), "size": len(manifest)}],
    }
    with open(os.path.join(layout(runtime), "index.json"), "w") as file:
        json.dump(index, file)
    with open(os.path.join(layout(runtime), "oci-layout"), "w") as file:
        json.dump({"imageLayoutVersion": "1.0.0"}, file)
    print(f"built {runtime}: {digest(manifest)}")


def blob(runtime, wanted):
    with open(os.path.join(layout(runtime), "blobs", "sha256", wanted.split(":")[1]), "rb") as file:
        return file.read()


class Registry:
    def __init__(self, host):
        local = host.split(":")[0] in ("127.0.0.1", "localhost")
        self.base = ("http://" if local else "https://") + host
        user, password = os.environ.get("DOCKER_USERNAME"), os.environ.get("DOCKER_PASSWORD")
        self.auth = None
        if user and password:
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            self.auth = f"Basic {token}"

    def call(self, method, url, data=None, headers=None):
        if url.startswith("/"):
            url = self.base + url
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        if self.auth:
            request.add_header("Authorization", self.auth)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


def push(runtime, reference):
    host, _, rest = reference.partition("/")
    repository, _, tag = rest.rpartition(":")
    registry = Registry(host)
    with open(os.path.join(layout(runtime), "index.json")) as file:
        manifest_digest = json.load(file)["manifests"][0]["digest"]
    manifest = blob(runtime, manifest_digest)
    described = json.loads(manifest)
    for entry in [described["config"]] + described["layers"]:
        status, _, _ = registry.call("HEAD", f"/v2/{repository}/blobs/{entry['digest']}")
        if status == 200:
            continue
        status, headers, body = registry.call("POST", f"/v2/{repository}/blobs/uploads/", b"")
        if status != 202:
            sys.exit(f"starting the upload of {entry['digest']} answered {status}: {body!r}")
        location = headers.get("Location") or headers.get("location")
        separator = "&" if "?" in location else "?"
        url = f"{location}{separator}digest={urllib.parse.quote(entry['digest'])}"
        status, _, body = registry.call(
            "PUT", url, blob(runtime, entry["digest"]), {"Content-Type": "application/octet-stream"}
        )
        if status != 201:
            sys.exit(f"uploading {entry['digest']} answered {status}: {body!r}")
    status, _, body = registry.call(
        "PUT", f"/v2/{repository}/manifests/{tag}", manifest, {"Content-Type": MANIFEST}
    )
    if status != 201:
        sys.exit(f"pushing the manifest of {reference} answered {status}: {body!r}")
    print(f"pushed {reference}: {manifest_digest}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["build"] and len(sys.argv) == 3:
        build(sys.argv[2])
    elif sys.argv[1:2] == ["push"] and len(sys.argv) == 4:
        push(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
