#!/usr/bin/env bash
# Fuzzes every target for real (Jazzer, coverage-guided), one after the other, up to each target's
# maxExecutions (1,000,000) or the time given (default 10m per target), and prints executions and findings.
# A finding is saved by Jazzer under src/test/resources/<package>/<Class>Inputs/<method>/ and then runs as a
# regression test in `mvn verify`. Usage: bench/fuzz.sh [duration, e.g. 5m]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
targets=(
  io.github.wecomcallback.message.EnvelopeFuzzTest#xmlEnvelope
  io.github.wecomcallback.message.EnvelopeFuzzTest#jsonEnvelope
  io.github.wecomcallback.message.EnvelopeFuzzTest#message
  io.github.wecomcallback.crypto.DecryptFuzzTest#unsignedParameters
  io.github.wecomcallback.crypto.DecryptFuzzTest#signedCiphertext
  io.github.wecomcallback.crypto.DecryptFuzzTest#encryptThenDecrypt
  io.github.wecomcallback.servlet.QueryStringFuzzTest#parse
)
mvn -q -B test-compile
mkdir -p target/fuzz
for target in "${targets[@]}"; do
  log="target/fuzz/${target##*.}.log"
  echo "fuzzing $target (log: $log)"
  if JAZZER_FUZZ=1 mvn -B -o surefire:test -Dtest="$target" -Djazzer.max_duration="$duration" \
      -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1; then
    result=ok
  else
    result=FINDING
  fi
  # libFuzzer's summary: "Done <executions> runs in <seconds> second(s)"
  echo "  $result: $(grep -a '^Done' "$log" | tail -1)"
done
