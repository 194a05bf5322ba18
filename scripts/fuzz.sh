#!/usr/bin/env bash
# Fuzzes each @FuzzTest with Jazzer (coverage-guided, libFuzzer) for DURATION (default 30s) each.
# Every build already replays the kept corpus (src/test/resources/**/*FuzzTestInputs/); this searches for new inputs.
# A finding fails the run and is written beside the corpus as crash-<hash>: commit it with the fix, and it is
# replayed by every build from then on. New coverage-increasing inputs go to server/.cifuzz-corpus/ (not kept);
# --keep copies them into the kept corpus.
# Usage: scripts/fuzz.sh [--keep] [DURATION] [Class#method ...]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
KEEP=0
if [ "${1:-}" = --keep ]; then KEEP=1; shift; fi
DURATION=${1:-30s}
shift || true
TARGETS=("$@")
if [ "${#TARGETS[@]}" = 0 ]; then
    TARGETS=(
        io.multikube.auth.TokenVerifierFuzzTest#noStringPassesWithoutOurSignature
        io.multikube.auth.TokenVerifierFuzzTest#aSignedTokenPassesOnlyWithAllowedHeaderAndClaims
        io.multikube.kubeconfig.KubeconfigLoaderFuzzTest#loadsOrRefusesClearly
        io.multikube.pki.PemFuzzTest#readsOrRefusesClearly
        io.multikube.pipeline.HeaderSanitizerFuzzTest#clusterSeesOnlyAllowedFieldsAndOurIdentity
        io.multikube.upstream.Http1ResponseFuzzTest#readsOrRefusesClearly
    )
fi
mkdir -p server/target
status=0
for target in "${TARGETS[@]}"; do
    echo "== fuzzing $target for $DURATION" >&2
    # Jazzer fuzzes only in this mode, and one test per JVM.
    if ! JAZZER_FUZZ=1 ./mvnw -B -ntp test -pl spi,server -Dtest="$target" -Djazzer.max_duration="$DURATION" \
            -DskipFuzzCorpus=true \
            -Dsurefire.failIfNoSpecifiedTests=false >"server/target/fuzz-${target##*.}.log" 2>&1; then
        echo "   FINDING or failure: server/target/fuzz-${target##*.}.log" >&2
        grep -E "crash-|Exception|AssertionError|expected" "server/target/fuzz-${target##*.}.log" | head -5 >&2 || true
        status=1
    else
        grep -hoE "#[0-9]+\s+DONE.*|stat::number_of_executed_units: [0-9]+" \
            "server/target/fuzz-${target##*.}.log" | tail -1 | sed 's/^/   /' >&2 || true
    fi
done
if [ "$KEEP" = 1 ] && [ -d server/.cifuzz-corpus ]; then
    for dir in server/.cifuzz-corpus/*/*; do
        class=$(basename "$(dirname "$dir")") method=$(basename "$dir")
        keep=$(find server/src/test/resources -type d -path "*/${class##*.}Inputs" | head -1)
        [ -n "$keep" ] || keep=server/src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs
        mkdir -p "$keep/$method"
        cp -n "$dir"/* "$keep/$method/" 2>/dev/null || true
    done
fi
exit $status
