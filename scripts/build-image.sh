#!/usr/bin/env bash
# Builds multikube's OCI image as a tarball without a Docker daemon: server/target/multikube-image.tar.
#
# No registry is reachable from our build machines, so the image starts FROM scratch and carries its own
# runtime: a jlink'ed Java runtime (only the modules multikube uses, from the JDK scripts/java-home.sh finds) and
# the C libraries it needs from Debian's packages (libc6, libgcc-s1, zlib1g). Jib (jib:buildTar, Maven profile
# "image") lays out the application (/app), and this script stages the rest in server/target/image-root:
#   /opt/java                the runtime          /opt/multikube/plugins   the bundled plugins and their libraries
#   /lib, /lib64, /usr/lib   C libraries          /etc/passwd, /etc/group  the non-root user 65532
# Usage: scripts/build-image.sh          Check it: python3 scripts/check-image.py server/target/multikube-image.tar
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh

MODULES=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.sql,jdk.management,jdk.unsupported
DEBS=(libc6 libgcc-s1 zlib1g)

./mvnw -B -q -ntp -DskipTests package -pl server,plugins/audit-file,plugins/cache-memory -am

# MODULES must cover what jdeps finds in the class path, or the image fails only when a class is first loaded.
needed=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --multi-release 21 --print-module-deps \
    --class-path 'server/target/libs/*:plugins/cache-memory/target/libs/*' server/target/multikube.jar \
    plugins/audit-file/target/multikube-audit-file.jar plugins/cache-memory/target/multikube-cache-memory.jar \
    server/target/libs/*.jar plugins/cache-memory/target/libs/*.jar 2>/dev/null | tail -1)
missing=$(comm -23 <(tr , '\n' <<<"$needed" | sort) <(tr , '\n' <<<"$MODULES" | sort))
if [ -n "$missing" ]; then
    echo "image: jdeps finds modules that MODULES lacks: $(echo $missing) (add them to MODULES)" >&2
    exit 1
fi

root=server/target/image-root
rm -rf "$root" server/target/image-debs
mkdir -p "$root/opt/multikube/plugins" "$root/etc" "$root/tmp" server/target/image-debs

echo "image: jlink runtime with $MODULES"
"$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
    --compress zip-6 --output "$root/opt/java"

echo "image: C libraries from Debian packages: ${DEBS[*]}"
# (apt's _apt user cannot write into our tree; it warns and downloads as root, which is fine here.)
(cd server/target/image-debs && apt-get download "${DEBS[@]}" >/dev/null 2>&1 || apt-get download "${DEBS[@]}")
for deb in server/target/image-debs/*.deb; do
    dpkg-deb -x "$deb" server/target/image-debs/root
done
# Only the shared libraries and the loader: no shells, no tools.
(cd server/target/image-debs/root && find . \( -name '*.so*' -o -name 'ld-linux*' \) \( -type f -o -type l \) \
    | grep -v -e '/gconv/' -e '/audit/' | tar -cf - -T -) | tar -xf - -C "$root"
# Image layers carry files, not links: each link becomes a copy of its target inside the image root.
python3 - "$root" <<'PY'
import os, shutil, sys
root = os.path.abspath(sys.argv[1])
for folder, dirs, files in os.walk(root):
    for name in files + dirs:
        path = os.path.join(folder, name)
        if os.path.islink(path):
            target = os.readlink(path)
            resolved = os.path.join(root, target.lstrip('/')) if target.startswith('/') else os.path.join(folder, target)
            resolved = os.path.realpath(resolved) if not target.startswith('/') else resolved
            if os.path.isfile(resolved):
                os.unlink(path)
                shutil.copy2(resolved, path)
PY

echo "image: bundled plugins"
cp plugins/audit-file/target/multikube-audit-file.jar plugins/cache-memory/target/multikube-cache-memory.jar \
    "$root/opt/multikube/plugins/"
cp -r plugins/cache-memory/target/libs "$root/opt/multikube/plugins/libs"

printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:multikube:/var/lib/multikube:/sbin/nologin\n' \
    > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"

./mvnw -B -q -ntp -Pimage -DskipTests package -pl server -am
ls -l server/target/multikube-image.tar
