#!/usr/bin/env python3
"""Checks multikube's image tarball (scripts/build-image.sh): its configuration, and that its own file system runs.

1. The config: entrypoint is the image's own java running io.multikube.Main, user 65532 (not root), ports 8443 and
   8888 exposed.
2. The file system: the layers are unpacked into a folder and the entrypoint runs there under chroot as user 65532
   (no container runtime exists on our build machines; chroot gives the same view of the files), in a private
   mount namespace set up as a runtime and our Deployment would: /proc and /dev mounted, the root read-only,
   /tmp and /var/lib/multikube writable volumes. `--version`, `--help` (with the bundled plugins' flags), `keys`
   (the runtime's crypto: EC key generation, PEM, BouncyCastle), and the server itself with the bundled plugins
   on, until it answers /livez; then the embedded default (TLS, its own CA and signer) asked by kubectl with the
   client kubeconfig it wrote: multikube's 503 Status for the unreachable cluster, and the audit event on stdout.

Usage: check-image.py server/target/multikube-image.tar      (needs root for chroot)
"""
import json
import os
import re
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


def jvm_flags():
    """The flags scripts/run uses, from scripts/jvm-flags.sh (MULTIKUBE_JVM_FLAGS=(...))."""
    text = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "jvm-flags.sh")).read()
    return re.search(r"^MULTIKUBE_JVM_FLAGS=\((.*)\)$", text, re.M).group(1).split()


def check_config(config):
    settings = config["config"]
    entrypoint = settings.get("Entrypoint") or []
    if not entrypoint or entrypoint[0] != "/opt/java/bin/java" or entrypoint[-1] != "io.multikube.Main":
        fail(f"entrypoint {entrypoint} (expected: /opt/java/bin/java ... io.multikube.Main)")
    flags = jvm_flags()
    if [arg for arg in entrypoint if arg in flags] != flags:
        fail(f"entrypoint {entrypoint} (expected the JVM flags of scripts/jvm-flags.sh: {flags})")
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


# Writable volumes, as deploy/deployment.yaml mounts them (emptyDir); everything else is read-only.
VOLUMES = ("/tmp", "/var/lib/multikube")


def contained(root, volumes, command):
    """COMMAND run as a container runtime would, minus isolation: in a private mount namespace (nothing leaks into
    the host's) with /proc (the launcher finds its libraries through it, $ORIGIN) and /dev (without /dev/urandom the
    JVM seeds SecureRandom from thread timing, which takes many seconds) mounted, the root read-only, and VOLUMES
    writable."""
    chroot = shutil.which("chroot") or fail("chroot is not installed (coreutils)")
    unshare = shutil.which("unshare") or fail("unshare is not installed (util-linux)")
    mount = shutil.which("mount") or fail("mount is not installed (util-linux)")
    mounts = [f"{mount} --bind {root} {root}", f"{mount} -o remount,bind,ro {root} {root}",
              f"{mount} -t proc proc {root}/proc", f"{mount} --rbind /dev {root}/dev"]
    mounts += [f"{mount} --bind {source} {root}{target}" for target, source in volumes.items()]
    script = "set -e; " + "; ".join(mounts) + '; exec "$@"'
    return [unshare, "--mount", "--propagation", "private", shutil.which("sh"), "-c", script, "contained",
            chroot, "--userspec=65532:65532", root, *command]


def prepare(root, folder):
    """Mount points in the image root (a runtime makes them too), and a host folder per volume, owned by 65532."""
    for point in ("proc", "dev"):
        os.makedirs(os.path.join(root, point), exist_ok=True)
    volumes = {}
    for target in VOLUMES:
        os.makedirs(os.path.join(root, target.lstrip("/")), exist_ok=True)
        source = os.path.join(folder, "volume" + target.replace("/", "-"))
        os.makedirs(source)
        os.chown(source, 65532, 65532)
        volumes[target] = source
    return volumes


def run(root, volumes, entrypoint, *args):
    command = contained(root, volumes, [*entrypoint, *args])
    result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                            env={"HOME": "/tmp", "PATH": "/opt/java/bin"})
    if result.returncode != 0:
        fail(f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()[-800:]}")
    return result.stdout + result.stderr


def main(path):
    with tarfile.open(path) as image:
        manifest, config = read_config(image)
        entrypoint = check_config(config)
        with tempfile.TemporaryDirectory(prefix="multikube-image-") as folder:
            root = os.path.join(folder, "root")
            os.makedirs(root, mode=0o755)  # the image root: readable by the image user, like any /
            unpack(image, manifest, root)
            run_checks(root, prepare(root, folder), entrypoint)
    print(f"check-image: ok ({os.path.getsize(path) // (1024 * 1024)} MiB)")


def run_checks(root, volumes, entrypoint):
    version = run(root, volumes, entrypoint, "--version")
    print(f"check-image: runs: {version.strip()} (root read-only, writable: {', '.join(VOLUMES)})")
    usage = run(root, volumes, entrypoint, "--help")
    for flag in ("--audit-log-path", "--cache-ttl", "--metrics-port"):
        if flag not in usage:
            fail(f"--help lacks {flag}")
    run(root, volumes, entrypoint, "keys", "--out", "/tmp/keys")
    if not os.path.exists(os.path.join(volumes["/tmp"], "keys/signer-key.pem")):
        fail("keys wrote no signer key")
    print("check-image: the image's own runtime generated a signer key pair (crypto, PEM) as user 65532")
    serve(root, volumes, entrypoint)
    serve_tls(root, volumes, entrypoint)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(root, volumes, entrypoint):
    """Starts the server from the image's files and waits for /livez on its metrics port."""
    with open(os.path.join(volumes["/tmp"], "kubeconfig"), "w") as kubeconfig:
        kubeconfig.write("apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}"
                         "\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n")
    port, metrics = free_port(), free_port()
    server = subprocess.Popen(contained(root, volumes, [
                                  *entrypoint, "--scheme=http", "--host=127.0.0.1", f"--port={port}",
                                  f"--metrics-port={metrics}", "--kubeconfig=/tmp/kubeconfig",
                                  "--tls-signer-certificate=/tmp/keys/signer.pem",
                                  "--state-dir=/var/lib/multikube", "--audit-log-path=-", "--cache-ttl=5s"]),
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


def serve_tls(root, volumes, entrypoint):
    """The embedded default from the image (its own CA, serving certificate and signer on the state volume) asked
    over TLS by kubectl with the client kubeconfig it wrote: the cluster is unreachable, so the answer must be
    multikube's 503 Status, and the audit-file plugin must log the request on standard output."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        print("check-image: SKIP the TLS request through the image: kubectl is not on PATH")
        return
    tls_port, metrics = free_port(), free_port()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        server = subprocess.Popen(contained(root, volumes, [
                                      *entrypoint, f"--tls-port={tls_port}", f"--metrics-port={metrics}",
                                      "--kubeconfig=/tmp/kubeconfig", "--state-dir=/var/lib/multikube/embedded",
                                      "--audit-log-path=-"]),
                                  stdout=out, stderr=err, env={"HOME": "/tmp"})
        try:
            client = os.path.join(volumes["/var/lib/multikube"], "embedded", "client-kubeconfig.yaml")
            deadline = time.monotonic() + 60
            while not os.path.exists(client) and time.monotonic() < deadline:
                if server.poll() is not None:
                    err.seek(0)
                    fail(f"the embedded default exited {server.returncode}: {err.read()[-800:]}")
                time.sleep(0.3)
            os.path.exists(client) or fail("the embedded default wrote no client kubeconfig within 60 s")
            time.sleep(0.5)  # written while the listener is already up; give the file its last byte
            answer = subprocess.run([kubectl, "--kubeconfig", client, "get", "--raw", "/version"],
                                    capture_output=True, text=True, timeout=60)
            if answer.returncode == 0 or "ServiceUnavailable" not in answer.stderr:
                fail(f"kubectl through the image's TLS listener: {answer.stderr.strip() or answer.stdout.strip()}"
                     " (expected: multikube's 503 ServiceUnavailable)")
        finally:
            server.terminate()
            server.wait(timeout=20)
        out.seek(0)
        if '"apiVersion":"audit.k8s.io/v1"' not in out.read():
            fail("no audit.k8s.io/v1 event on standard output for kubectl's request")
    print("check-image: kubectl over TLS with a minted token got multikube's 503 Status from the image's embedded "
          "default, and the request's audit event went to standard output")


if __name__ == "__main__":
    main(sys.argv[1])
