#!/usr/bin/env bash
# CallbackBenchmark's variants (ours, the raw JCA floor, our envelope alone, WxJava) timed in turn, round after round,
# so that the ratios compare measurements taken moments apart: steadier than JMH's on a shared machine, whose speed
# moves within a minute. JMH (bench/jmh.sh) remains the measure of allocation and of absolute times.
# Usage: bench/ratios.sh [messageBytes, default 300] [rounds, default 40]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
    io.github.wecomcallback.bench.CallbackRatios "$@"
