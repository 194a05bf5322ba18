# Sourced: the JVM flags multikube runs with. scripts/run and bench/run.sh use them; the image's entrypoint
# (server/pom.xml) repeats them and scripts/check-image.py checks that it does. Measured with bench/run.sh and by
# hand, pinned to one CPU (as in a container limited to one CPU, where the JVM would otherwise pick the serial GC):
# -XX:+UseG1GC: with the serial collector a storm of 10,000 new watch connections (a TLS handshake each way, thousands
#   in flight) promoted their short-lived garbage into an old generation that grew to 3 GiB before its first full
#   collection, and stayed committed: 3.0-5.9 GiB RSS for a live set of ~650 MiB. G1 also on one CPU.
# -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30: G1 gives the heap back after such a burst (10,000 watches held:
#   ~1.0 GiB RSS once the connections are up, was 2.0 GiB with G1's defaults).
# -Xms16m: start small and let load grow the heap; idle RSS 156 MiB (serial with default sizing: 204 MiB).
# -XX:+ExitOnOutOfMemoryError: a proxy that cannot allocate should be restarted, not limp on.
MULTIKUBE_JVM_FLAGS=(-XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -Xms16m -XX:+ExitOnOutOfMemoryError)
