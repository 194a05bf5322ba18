#!/usr/bin/env bash
# Usage: bench/lib/in-cgroup.sh <cgroup directory> command...: runs the command inside that cgroup (same pid: exec).
echo $$ >"$1/cgroup.procs"
shift
exec "$@"
