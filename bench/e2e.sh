#!/usr/bin/env bash
# End to end, side by side, in one Tomcat 11: the same servlet bare, behind our filter, behind a WxJava filter,
# driven by wrk with distinct pre-signed callbacks (EndToEndBench). Needs wrk (apt-get install wrk).
# Usage: bench/e2e.sh [seconds per run, default 5] [rounds, default 3] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# BENCH_OPTS: more options, e.g. -Dbench.thinkMillis=2 (each connection waits 2 ms between requests: a load below
# saturation), -Dbench.profile=ours/empty, -Dbench.init.NAME=VALUE
exec java -Xmx2g ${BENCH_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  io.github.wecomcallback.bench.EndToEndBench "$@"
