#!/usr/bin/env bash
# End to end, side by side, in one Tomcat 11: the same servlet bare, behind our filter, behind a WxJava filter,
# driven by wrk with distinct pre-signed callbacks (EndToEndBench). Needs wrk (apt-get install wrk).
# Usage: bench/e2e.sh [seconds per run, default 5] [rounds, default 3] [connections, default 16]
# BENCH_PIN=SERVER_CPUS:WRK_CPUS (taskset lists, e.g. 1:0): the server and wrk each on their own cores, so that
# wrk's work does not come out of the server's time (each round prints how many cores the server kept busy).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# BENCH_OPTS: more options, e.g. -Dbench.thinkMillis=2 (each connection waits 2 ms between requests: a load below
# saturation), -Dbench.profile=ours/empty, -Dbench.init.NAME=VALUE
PIN=()
if [ -n "${BENCH_PIN:-}" ]; then
  PIN=(taskset -c "${BENCH_PIN%%:*}")
  BENCH_OPTS="${BENCH_OPTS:-} -Dbench.wrkCpus=${BENCH_PIN#*:}"
fi
exec "${PIN[@]}" java -Xmx2g ${BENCH_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  io.github.wecomcallback.bench.EndToEndBench "$@"
