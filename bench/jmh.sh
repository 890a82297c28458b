#!/usr/bin/env bash
# JMH: our verify+decrypt and encrypt+sign against WxJava and the raw JCA floor, in one run.
# Usage: bench/jmh.sh [JMH options, e.g. -f 2 -i 10]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main CryptoBenchmark "$@"
