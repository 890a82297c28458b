#!/usr/bin/env bash
# End to end the way a user deploys: a stock Tomcat 11 distribution (its own server.xml, access log and JVM
# defaults; only the ports changed) with three WARs side by side, driven by wrk with distinct pre-signed callbacks
# (EndToEndBench against a running server):
#   /ours/callback    the stock target/wecom-callback.war as built, configured by WECOM_* environment variables
#                     (no WECOM_FORWARD_URL: every verified callback is answered with an empty 200)
#   /bare/callback    a WAR with only the benchmark's application (reads the body, answers an empty 200)
#   /wxjava/callback  the same application behind a filter built on WxJava 4.6.0 (WxCpCryptUtil + WxCpXmlMessage)
# Scenarios: message callbacks answered empty, and URL checks. Needs wrk (apt-get install wrk).
# Usage: bench/tomcat.sh [seconds per run, default 5] [rounds, default 3] [connections, default 16]
# BENCH_PIN=SERVER_CPUS:WRK_CPUS (taskset lists, e.g. 1:0): Tomcat and wrk each on their own cores, so that wrk's
# work does not come out of Tomcat's time (each round prints how many cores Tomcat kept busy).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
TOMCAT_VERSION=11.0.24
PORT=${BENCH_PORT:-18080}
WORK=target/bench-tomcat
TOKEN=BenchToken2026 # the credentials EndToEndBench signs with
KEY=Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543
CORP=ww1122334455667788

echo "== building the WAR and the benchmark"
mvn -q -B -DskipTests package
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test

echo "== Tomcat $TOMCAT_VERSION distribution in $WORK"
rm -rf "$WORK"
mkdir -p "$WORK"
mvn -q -B dependency:copy -Dartifact="org.apache.tomcat:tomcat:$TOMCAT_VERSION:tar.gz" -DoutputDirectory="$WORK"
tar xzf "$WORK/tomcat-$TOMCAT_VERSION.tar.gz" -C "$WORK"
CATALINA_HOME="$(pwd)/$WORK/apache-tomcat-$TOMCAT_VERSION"
rm -rf "$CATALINA_HOME"/webapps/*
sed -i -e "s/port=\"8080\"/port=\"$PORT\" address=\"127.0.0.1\"/" -e 's/port="8005"/port="-1"/' \
  "$CATALINA_HOME/conf/server.xml"

echo "== the three WARs"
cp target/wecom-callback.war "$CATALINA_HOME/webapps/ours.war"
# bare.war and wxjava.war: the benchmark's classes, a web.xml each, and WxJava's jars for the latter.
app_war() { # name, extra web.xml content (the filter), lib directory or ""
  local dir="$WORK/$1"
  mkdir -p "$dir/WEB-INF/classes/io/github/wecomcallback/bench" "$dir/WEB-INF/lib"
  cp target/test-classes/io/github/wecomcallback/bench/{BenchApp,WxJavaFilter}*.class \
    "$dir/WEB-INF/classes/io/github/wecomcallback/bench/"
  cat > "$dir/WEB-INF/web.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
  $2
  <servlet><servlet-name>app</servlet-name><servlet-class>io.github.wecomcallback.bench.BenchApp</servlet-class></servlet>
  <servlet-mapping><servlet-name>app</servlet-name><url-pattern>/callback</url-pattern></servlet-mapping>
</web-app>
EOF
  if [ -n "$3" ]; then cp "$3"/*.jar "$dir/WEB-INF/lib/"; fi
  (cd "$dir" && jar cf "$CATALINA_HOME/webapps/$1.war" WEB-INF)
}
mkdir -p "$WORK/wxjava-libs"
cat > "$WORK/wxjava-libs/pom.xml" <<'EOF'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>wxjava-libs</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>com.github.binarywang</groupId><artifactId>weixin-java-cp</artifactId><version>4.6.0</version></dependency>
  </dependencies>
</project>
EOF
mvn -q -B -f "$WORK/wxjava-libs/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
  -DoutputDirectory=lib
app_war bare "" ""
app_war wxjava "<filter><filter-name>wxjava</filter-name><filter-class>io.github.wecomcallback.bench.WxJavaFilter</filter-class>
  <init-param><param-name>token</param-name><param-value>$TOKEN</param-value></init-param>
  <init-param><param-name>encodingAesKey</param-name><param-value>$KEY</param-value></init-param>
  <init-param><param-name>corpId</param-name><param-value>$CORP</param-value></init-param></filter>
  <filter-mapping><filter-name>wxjava</filter-name><url-pattern>/callback</url-pattern></filter-mapping>" \
  "$WORK/wxjava-libs/lib"

echo "== starting Tomcat on 127.0.0.1:$PORT"
export CATALINA_PID="$CATALINA_HOME/tomcat.pid"
stop_tomcat() { # and wait for it to exit (at most 30 s), so that a rerun finds the port free
  [ -f "$CATALINA_PID" ] || return 0
  local pid; pid=$(cat "$CATALINA_PID")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}
trap stop_tomcat EXIT
PIN=()
if [ -n "${BENCH_PIN:-}" ]; then
  PIN=(taskset -c "${BENCH_PIN%%:*}") # Tomcat's JVM inherits the affinity
  BENCH_OPTS="${BENCH_OPTS:-} -Dbench.wrkCpus=${BENCH_PIN#*:}"
fi
WECOM_TOKEN=$TOKEN WECOM_ENCODING_AES_KEY=$KEY WECOM_CORP_ID=$CORP "${PIN[@]}" "$CATALINA_HOME/bin/catalina.sh" start >/dev/null
for app in bare ours wxjava; do # deployed when /callback answers anything but 404
  for _ in $(seq 120); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/$app/callback" || true)
    [ "$code" != "000" ] && [ "$code" != "404" ] && break
    sleep 0.5
  done
  if [ "$code" = "000" ] || [ "$code" = "404" ]; then
    echo "/$app was not deployed within 60 s (HTTP $code): see $CATALINA_HOME/logs/catalina.out" >&2
    exit 1
  fi
  echo "   /$app/callback answers $code without parameters"
done

# BENCH_OPTS: more options for the driver, after the defaults above so that they override them, e.g.
# -Dbench.profile=ours/empty (one target alone, for a profiler given to Tomcat by CATALINA_OPTS) or
# -Dbench.scenarios=empty
java -Xmx2g -Dbench.server="http://127.0.0.1:$PORT" -Dbench.serverPid="$(cat "$CATALINA_PID")" \
  -Dbench.scenarios=empty,urlcheck -Dbench.path.bare=/bare/callback -Dbench.path.ours=/ours/callback \
  -Dbench.path.wxjava=/wxjava/callback ${BENCH_OPTS:-} \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  io.github.wecomcallback.bench.EndToEndBench "$@"
