# Sourced: the JVM flags multikube runs with. scripts/run and bench/run.sh use them; the image's entrypoint
# (server/pom.xml) repeats them and scripts/check-image.py checks that it does.
# -Xms16m: start with a small heap and let load grow it. With one CPU (a container limited to one, or the pinned
#   benchmark) the JVM picks the serial collector, whose young generation is sized from the default initial heap
#   (1/64 of RAM) and wholly touched during start-up: idle RSS 204 MiB with the default, 121 MiB with this, on a
#   24 GiB machine (bench/run.sh, scenario 6).
# -XX:+ExitOnOutOfMemoryError: a proxy that cannot allocate should be restarted, not limp on.
MULTIKUBE_JVM_FLAGS=(-Xms16m -XX:+ExitOnOutOfMemoryError)
