#!/usr/bin/env bash
# JMH: our verify+decrypt and encrypt+sign against WxJava and the raw JCA floor (CryptoBenchmark), the duplicate
# guard's part of a callback at its bound (GuardBenchmark: give its name, it is not in the default run), and a whole
# callback from the body bytes (envelope, signature, decryption, parsing; 300 B and 16 KiB; CallbackBenchmark).
# Usage: bench/jmh.sh [JMH options, e.g. -f 2 -i 10]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
# Default: both benchmarks with allocation per operation (-prof gc); give other JMH options to override.
[ $# -gt 0 ] || set -- "CryptoBenchmark|CallbackBenchmark" -prof gc
exec java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" org.openjdk.jmh.Main "$@"
