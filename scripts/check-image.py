#!/usr/bin/env python3
"""Checks multikube's image tarball (scripts/build-image.sh): its configuration, and that its own file system runs.

1. The config: entrypoint is the image's own java running io.multikube.Main, user 65532 (not root), ports 8443 and
   8888 exposed.
2. The file system: the layers are unpacked into a folder and the entrypoint runs there under chroot as user 65532
   (no container runtime exists on our build machines; chroot gives the same view of the files): `--version`,
   `--help` (with the bundled plugins' flags), `keys` (the runtime's crypto: EC key generation, PEM, BouncyCastle),
   and the server itself with the bundled plugins on, until it answers /livez.

Usage: check-image.py server/target/multikube-image.tar      (needs root for chroot)
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request


def fail(message):
    print(f"check-image: FAIL: {message}")
    sys.exit(1)


def read_config(image):
    manifest = json.load(image.extractfile("manifest.json"))[0]
    return manifest, json.load(image.extractfile(manifest["Config"]))


def check_config(config):
    settings = config["config"]
    entrypoint = settings.get("Entrypoint") or []
    if not entrypoint or entrypoint[0] != "/opt/java/bin/java" or entrypoint[-1] != "io.multikube.Main":
        fail(f"entrypoint {entrypoint} (expected: /opt/java/bin/java ... io.multikube.Main)")
    if settings.get("User") != "65532:65532":
        fail(f"user {settings.get('User')!r} (expected: 65532:65532, not root)")
    ports = set(settings.get("ExposedPorts", {}))
    if not {"8443/tcp", "8888/tcp"} <= ports:
        fail(f"exposed ports {sorted(ports)} (expected: 8443/tcp and 8888/tcp)")
    print(f"check-image: config ok: entrypoint {' '.join(entrypoint)}, user 65532, ports {sorted(ports)}")
    return entrypoint


def unpack(image, manifest, root):
    for layer in manifest["Layers"]:
        with tarfile.open(fileobj=image.extractfile(layer)) as files:
            files.extractall(root, filter="tar")


def mount_proc(root):
    """A container runtime mounts /proc; the JVM's launcher finds its libraries through it ($ORIGIN)."""
    target = os.path.join(root, "proc")
    os.makedirs(target, exist_ok=True)
    subprocess.run(["mount", "-t", "proc", "proc", target], check=True)
    return target


def run(root, entrypoint, *args):
    chroot = shutil.which("chroot") or fail("chroot is not installed (coreutils)")
    command = [chroot, "--userspec=65532:65532", root, *entrypoint, *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            env={"HOME": "/tmp", "PATH": "/opt/java/bin"})
    if result.returncode != 0:
        fail(f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()[-800:]}")
    return result.stdout + result.stderr


def main(path):
    with tarfile.open(path) as image:
        manifest, config = read_config(image)
        entrypoint = check_config(config)
        with tempfile.TemporaryDirectory(prefix="multikube-image-") as root:
            os.chmod(root, 0o755)  # the image root: readable by the image user, like any /
            unpack(image, manifest, root)
            os.chmod(os.path.join(root, "tmp"), 0o1777)
            proc = mount_proc(root)
            try:
                run_checks(root, entrypoint)
            finally:
                subprocess.run(["umount", proc], check=False)
    print(f"check-image: ok ({os.path.getsize(path) // (1024 * 1024)} MiB)")


def run_checks(root, entrypoint):
    version = run(root, entrypoint, "--version")
    print(f"check-image: runs: {version.strip()}")
    usage = run(root, entrypoint, "--help")
    for flag in ("--audit-log-path", "--cache-ttl", "--metrics-port"):
        if flag not in usage:
            fail(f"--help lacks {flag}")
    run(root, entrypoint, "keys", "--out", "/tmp/keys")
    if not os.path.exists(os.path.join(root, "tmp/keys/signer-key.pem")):
        fail("keys wrote no signer key")
    print("check-image: the image's own runtime generated a signer key pair (crypto, PEM) as user 65532")
    serve(root, entrypoint)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(root, entrypoint):
    """Starts the server from the image's files and waits for /livez and /readyz on its metrics port."""
    with open(os.path.join(root, "tmp/kubeconfig"), "w") as kubeconfig:
        kubeconfig.write("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}"
                         "\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n")
    port, metrics = free_port(), free_port()
    chroot = shutil.which("chroot")
    server = subprocess.Popen([chroot, "--userspec=65532:65532", root, *entrypoint, "--scheme=http",
                               "--host=127.0.0.1", f"--port={port}", f"--metrics-port={metrics}",
                               "--kubeconfig=/tmp/kubeconfig", "--tls-signer-certificate=/tmp/keys/signer.pem",
                               "--state-dir=/tmp/state", "--audit-log-path=-", "--cache-ttl=5s"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={"HOME": "/tmp"})
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{metrics}/livez", timeout=2) as answer:
                    if answer.read() == b"ok":
                        print(f"check-image: the server started from the image and answers /livez "
                              f"(audit-file and cache-memory plugins loaded)")
                        return
            except OSError:
                time.sleep(0.3)
            if server.poll() is not None:
                fail(f"the server exited {server.returncode}: {server.stderr.read().decode()[-800:]}")
        fail("the server did not answer /livez within 30 s")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main(sys.argv[1])
