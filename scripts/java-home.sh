# Sourced by every script: points JAVA_HOME at the newest JDK >= 21 on this machine (Helidon 4 needs 21).
# Keeps a JAVA_HOME that already qualifies; fails with a clear message when none is found.

multikube_java_feature() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

multikube_find_java_home() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] \
        && [ "$(multikube_java_feature "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
        echo "$JAVA_HOME"; return 0
    fi
    local best="" best_version=0 candidate version
    for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
        [ -x "$candidate/bin/javac" ] || continue
        version=$(multikube_java_feature "$candidate")
        if [ -n "$version" ] && [ "$version" -ge 21 ] && [ "$version" -gt "$best_version" ]; then
            best="$candidate"; best_version="$version"
        fi
    done
    [ -n "$best" ] || return 1
    echo "$best"
}

if ! JAVA_HOME=$(multikube_find_java_home); then
    echo "multikube needs a JDK 21 or newer (Helidon 4); none found in JAVA_HOME, /usr/lib/jvm or /opt." >&2
    echo "Install one (for example Debian's openjdk-21-jdk or a Temurin 21+) and set JAVA_HOME." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
