#!/usr/bin/env bash
# The deployment of docs/DEPLOYING.md, done for real: a Tomcat 11 distribution with a CATALINA_BASE made from
# tomcat-conf/ verbatim (only ports, generated paths and generated secrets substituted) and the built WAR as
# ROOT.war; HTTPS from a PFX whose password is only in a chmod-600 file; nginx terminating TLS with
# tomcat-conf/nginx-wecom.conf included verbatim; Apache httpd + mod_jk over AJP with its secret
# (tomcat-conf/httpd-wecom.conf, workers.properties). Run by DeploymentIT in `mvn verify`; also by hand:
#   PROJECT=$PWD WAR=target/wecom-callback.war TOOL=target/wecom-callback-tool.jar \
#   CATALINA_HOME=target/cargo/installs/tomcat-11.0.24/apache-tomcat-11.0.24 WORK=/tmp/wecom-deploy \
#   PORT_BASE=18300 src/test/deploy/check-deployment.sh
# Needs java 17, openssl, curl, nginx, apache2 with mod_ssl and mod_jk (Debian: libapache2-mod-jk).
# Prints one PASS/FAIL/WARN/SKIP line per check; exit status 1 if any FAIL. Kills only what it started.
set -u
: "${PROJECT:?}" "${WAR:?}" "${TOOL:?}" "${CATALINA_HOME:?}" "${WORK:?}" "${PORT_BASE:?}"
mkdir -p "$WORK"
PROJECT=$(realpath "$PROJECT") WAR=$(realpath "$WAR") TOOL=$(realpath "$TOOL")
CATALINA_HOME=$(realpath "$CATALINA_HOME") WORK=$(realpath "$WORK")
CONF=$PROJECT/tomcat-conf
D=$WORK
mkdir -p "$D" && cd "$D" || exit 2
P=$PORT_BASE                   # ports P+0 .. P+49
SHUT=$((P+5)) HTTP=$((P+1)) HTTPS=$((P+2)) AJP=$((P+3)) HTTP6=$((P+4))
NGX=$((P+10)) NGX6=$((P+11)) APX=$((P+12))
URLQ='msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D'
EXPECT=1616140317555161061
fail=0
ok()   { echo "PASS: $*"; }
bad()  { echo "FAIL: $*"; fail=1; }
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$3] got [$2]"; fi; }

# mkbase DIR BLOCK... : a fresh CATALINA_BASE from tomcat-conf/ verbatim; BLOCKs (https-pfx, https-pem, ajp)
# are enabled by deleting their two marker lines, exactly as DEPLOYING.md tells a user to do.
mkbase() {
  local b=$1; shift
  rm -rf "$b"; mkdir -p "$b"/{conf/tls,logs,temp,work,webapps}
  cp "$CATALINA_HOME"/conf/{web.xml,context.xml,catalina.properties} "$b/conf/"
  cp "$CONF/logging.properties" "$b/conf/"
  cp "$CONF/server.xml" "$b/conf/server.xml"
  for blk in "$@"; do
    sed -i "/^[[:space:]]*<!--\[$blk\]\$/d; /^[[:space:]]*\[$blk\]-->\$/d" "$b/conf/server.xml"
  done
  cat "$CONF/wecom.properties" >> "$b/conf/catalina.properties"
  # test overrides: only ports and generated paths (later keys win in java.util.Properties)
  cat >> "$b/conf/catalina.properties" <<PROPS

# --- verify.sh overrides ---
wecom.shutdown.port=$SHUT
wecom.http.port=$HTTP
wecom.https.port=$HTTPS
wecom.https.address=127.0.0.1
wecom.ajp.port=$AJP
PROPS
  cp "$WAR" "$b/webapps/ROOT.war"
  cp "$D/pki/server.pfx" "$D/pki/fullchain.pem" "$D/pki/privkey.pem" "$b/conf/tls/"
  (umask 077; cp "$D/pki/pfx.password" "$b/conf/tls/pfx.password")
  chmod 600 "$b/conf/tls/"* "$b/conf/catalina.properties"
}

# start_tomcat DIR : catalina.sh start (daemon, output in logs/catalina.out); waits for start-up or death.
start_tomcat() {
  local b=$1
  env CATALINA_BASE="$b" CATALINA_PID="$b/tomcat.pid" WECOM_TIMESTAMP_TOLERANCE_SECONDS=0 \
      "$CATALINA_HOME/bin/catalina.sh" start >/dev/null
  for i in $(seq 1 60); do
    sleep 0.5
    grep -q 'Server startup in' "$b/logs/catalina.out" 2>/dev/null && return 0
    kill -0 "$(cat "$b/tomcat.pid")" 2>/dev/null || return 1
  done
  return 2
}
stop_tomcat() {
  local b=$1 pid
  pid=$(cat "$b/tomcat.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null; for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null; rm -f "$b/tomcat.pid"; return 0
}
CREDENTIALS=(--token QDG6eK --encoding-aes-key jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C --corp-id wx5823bf96d3bd56c7)
verify_url() { # the simulator's URL check, trusting the test CA with --trust
  java -jar "$TOOL" verify-url "$1" "${CREDENTIALS[@]}" --trust "$D/pki/ca.pem"
}
send_text() { # the simulator posts a text message and verifies and decrypts the encrypted reply
  java -jar "$TOOL" send "$1" "${CREDENTIALS[@]}" --trust "$D/pki/ca.pem" --text "hello through $2"
}

# A non-loopback address of this machine, to play a client that is not a trusted proxy.
NONLOOP=${NONLOOP:-$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | head -1)}
started=()
cleanup() {
  for b in "$D"/vbase-*; do [ -f "$b/tomcat.pid" ] && stop_tomcat "$b"; done
  [ -f "$D/vnginx/nginx.pid" ] && kill "$(cat "$D/vnginx/nginx.pid")" 2>/dev/null
  [ -f "$D/vapache/httpd.pid" ] && kill "$(cat "$D/vapache/httpd.pid")" 2>/dev/null
  sleep 0.5
}
trap cleanup EXIT
trap 'exit 143' TERM   # so that the EXIT trap stops the servers when the build kills this script
trap 'exit 130' INT
outside() { # outside LABEL: true when a non-loopback address can play an untrusted client; else SKIP the check
  [ -n "$NONLOOP" ] && return 0
  echo "SKIP: $1 (this machine has no non-loopback IPv4 address; set NONLOOP)"; return 1
}

# ---- 0. Tomcat and a test PKI: CA + leaf for localhost/127.0.0.1/::1, as PEM and as PFX -----------------
if [ ! -f "$D/pki/server.pfx" ]; then
  mkdir -p "$D/pki"; (
  cd "$D/pki"; umask 077
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 -subj /CN=wecom-test-ca \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout privkey.pem -out leaf.csr -subj /CN=localhost 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n' > leaf.ext
  openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 825 -extfile leaf.ext 2>/dev/null
  cat leaf.pem ca.pem > fullchain.pem
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > pfx.password      # ends with a newline, as `echo` would
  openssl pkcs12 -export -in leaf.pem -inkey privkey.pem -certfile ca.pem -name tomcat -out server.pfx -passout file:pfx.password
  chmod 644 ca.pem fullchain.pem leaf.pem )
fi
PW=$(head -1 "$D/pki/pfx.password"); [ -n "$PW" ] || { echo "FAIL: empty PFX password"; exit 1; }
AJP_SECRET=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
curl_exact() { # curl_exact LABEL URL [curl args]: the documented URL check must print exactly the plaintext
  local label=$1 url=$2; shift 2
  local out; out=$(curl -sS --cacert "$D/pki/ca.pem" "$@" "$url?$URLQ")
  check_eq "$label: documented URL check answers exactly $EXPECT" "$out" "$EXPECT"
}
tool_check() { # verify-url; on a loaded machine the cold JVM's first TLS handshake can exceed 1 s: WARN only
  local label=$1 out; out=$(verify_url "$2" 2>&1); local rc=$?
  if [ $rc = 0 ]; then ok "$label: verify-url: WeCom would accept"
  elif [ "$(grep -c '^FAIL' <<<"$out")" = 1 ] && grep -q '^FAIL: answered after' <<<"$out" && grep -q 'answered 200' <<<"$out"; then
    echo "WARN: $label: verify-url failed only on time: $(grep '^FAIL' <<<"$out")"
  else bad "$label: verify-url: $out"; fi
}
send_check() { # an encrypted message through the front: the demo's encrypted echo, verified and decrypted
  local label=$1 out; out=$(send_text "$2" "$1" 2>&1)
  if [ $? = 0 ] && grep -q 'encrypted reply, verified' <<<"$out" && grep -q "echo: hello through $label" <<<"$out"; then
    ok "$label: send: the encrypted reply verified and decrypted"
  else bad "$label: send: $out"; fi
}
through_front() { # through_front LABEL URL: the documented URL check exact, verify-url, and an encrypted reply
  curl_exact "$1" "$2"; tool_check "$1" "$2"; send_check "$1" "$2"
}
client_seen() { # client_seen BASE PORT XFF TAG LABEL: a request from $NONLOOP with a spoofed X-Forwarded-For
  outside "$5" || return 0
  curl -s -o /dev/null --cacert "$D/pki/ca.pem" --resolve "localhost:$2:$NONLOOP" -H "X-Forwarded-For: $3" \
       "https://localhost:$2/callback?$4"
  access_has "$1" "^${NONLOOP//./\\.} .*$4" "$5"
}
access_has() { # access_has BASE REGEX LABEL
  sleep 0.3; if grep -Eq "$2" "$1"/logs/access.*.log; then ok "$3"; else bad "$3 (access log: $(tail -2 "$1"/logs/access.*.log))"; fi
}

# ---- 1. Tomcat: HTTPS from a PFX whose password is only in a chmod-600 file; AJP with secret; HTTP on loopback
B=$D/vbase-main
mkbase "$B" https-pfx ajp
sed -i 's/^wecom.https.address=.*/wecom.https.address=0.0.0.0/' "$B/conf/catalina.properties"   # reachable from $NONLOOP
echo "wecom.ajp.secret=$AJP_SECRET" >> "$B/conf/catalina.properties"
if start_tomcat "$B"; then ok "Tomcat started (PFX + AJP + HTTP)"; else bad "Tomcat did not start"; tail -30 "$B/logs/catalina.out"; exit 1; fi
grep -q 'ForwardServlet \[gateway\] ready: no forwardUrl' "$B/logs/catalina.out" \
  && ok "the start-up log says what the WAR does with callbacks (no forwardUrl: nothing forwarded)" \
  || bad "no gateway line at start-up"
through_front "Tomcat HTTPS (PFX)" "https://127.0.0.1:$HTTPS/callback"
curl_exact "Tomcat HTTP 127.0.0.1" "http://127.0.0.1:$HTTP/callback"
# RemoteIpValve: a client on the loopback is a trusted proxy, one elsewhere is not
curl -s -o /dev/null --cacert "$D/pki/ca.pem" -H 'X-Forwarded-For: 203.0.113.10' "https://localhost:$HTTPS/callback?from=loopback"
access_has "$B" '^203\.0\.113\.10 .*from=loopback' "X-Forwarded-For from 127.0.0.1 (trusted proxy) is the client"
client_seen "$B" "$HTTPS" 203.0.113.11 from=untrusted "spoofed X-Forwarded-For from untrusted $NONLOOP is ignored"
# the filter's own WARNING names the same address (msg_signature missing = refusal kind NOT_FROM_WECOM)
sleep 0.3; grep -q "refused \"GET\" from 203.0.113.10 with 400 -40001" "$B/logs/catalina.out" \
  && ok "filter log: refusal names the X-Forwarded-For client 203.0.113.10" || bad "filter log lacks 203.0.113.10"
if outside "a bad signature from an untrusted address is logged with that address"; then
curl -s -o /dev/null --cacert "$D/pki/ca.pem" --resolve "localhost:$HTTPS:$NONLOOP" -H 'X-Forwarded-For: 203.0.113.12' \
  "https://localhost:$HTTPS/callback?msg_signature=0000000000000000000000000000000000000000&timestamp=1409659589&nonce=1&echostr=AAAA"
sleep 0.3; grep -q "refused \"GET\" from $NONLOOP with 403 -40001" "$B/logs/catalina.out" \
  && ok "filter log: bad signature from untrusted $NONLOOP logged with its own address" || bad "filter log: $(grep 'refused' "$B/logs/catalina.out" | tail -1)"
fi
# no secret anywhere in logs/ or in ps
if grep -rqF -e "$PW" -e "$AJP_SECRET" "$B/logs/"; then bad "a secret appears under logs/"; else ok "PFX password and AJP secret appear in no file under logs/"; fi
if ps -eo args ww | grep -v grep | grep -qF -e "$PW" -e "$AJP_SECRET"; then bad "a secret appears in ps"; else ok "no secret in ps output"; fi

# ---- 2. nginx: TLS, tomcat-conf/nginx-wecom.conf included verbatim (only the port substituted) ---------------
N=$D/vnginx; rm -rf "$N"; mkdir -p "$N/tmp"
sed "s/127\.0\.0\.1:8080/127.0.0.1:$HTTP/" $CONF/nginx-wecom.conf > "$N/wecom.conf"
sed "s/127\.0\.0\.1:8080/[::1]:$HTTP6/" $CONF/nginx-wecom.conf > "$N/wecom6.conf"
cat > "$N/nginx.conf" <<EOF
worker_processes 1; pid $N/nginx.pid; error_log $N/error.log;
events { worker_connections 64; }
http {
  access_log $N/access.log;
  client_body_temp_path $N/tmp; proxy_temp_path $N/tmp; fastcgi_temp_path $N/tmp; uwsgi_temp_path $N/tmp; scgi_temp_path $N/tmp;
  server { listen $NGX ssl; server_name localhost;
           ssl_certificate $D/pki/fullchain.pem; ssl_certificate_key $D/pki/privkey.pem;
           include $N/wecom.conf; }
  server { listen $NGX6 ssl; server_name localhost;
           ssl_certificate $D/pki/fullchain.pem; ssl_certificate_key $D/pki/privkey.pem;
           include $N/wecom6.conf; }
}
EOF
nginx -c "$N/nginx.conf" -p "$N" && ok "nginx $(nginx -v 2>&1 | sed 's/.*\///') started" || bad "nginx did not start"
sleep 0.5
through_front "nginx -> Tomcat" "https://localhost:$NGX/callback"
client_seen "$B" "$NGX" 203.0.113.20 via=nginx "nginx: Tomcat logs the client $NONLOOP, not nginx, not the client's X-Forwarded-For"
grep -q "%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D HTTP/1.1\" 200" "$B"/logs/access.*.log && ok "nginx: %2B/%3D arrive at Tomcat unchanged" || bad "nginx changed the query"

# ---- 3. Apache httpd + mod_jk: tomcat-conf/httpd-wecom.conf included verbatim, AJP with the secret ------------
A=$D/vapache; rm -rf "$A"; mkdir -p "$A/tls"; cp "$D/pki/fullchain.pem" "$D/pki/privkey.pem" "$A/tls/"
sed -e "s/^worker.wecom.port=.*/worker.wecom.port=$AJP/" -e "s/^worker.wecom.secret=.*/worker.wecom.secret=$AJP_SECRET/" \
    $CONF/workers.properties > "$A/workers.properties"; chmod 600 "$A/workers.properties"
cat > "$A/httpd.conf" <<EOF
ServerRoot $A
ServerName localhost
PidFile $A/httpd.pid
ErrorLog $A/error.log
User nobody
Group nogroup
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so
LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so
LoadModule jk_module /usr/lib/apache2/modules/mod_jk.so
Define WECOM_HTTPS_PORT $APX
Define WECOM_TLS_DIR $A/tls
Define WECOM_JK_DIR $A
Define WECOM_JK_LOG_DIR $A
Define WECOM_SERVER_NAME localhost
Include $CONF/httpd-wecom.conf
EOF
apache2 -f "$A/httpd.conf" -k start 2>/dev/null && ok "Apache $(apache2 -v | sed -n 's/.*Apache\/\([^ ]*\).*/\1/p') + mod_jk started" || bad "apache2 did not start"
sleep 1
through_front "Apache mod_jk (AJP) -> Tomcat" "https://localhost:$APX/callback"
client_seen "$B" "$APX" 203.0.113.30 via=ajp "AJP: Tomcat sees the client $NONLOOP; a client's X-Forwarded-For is ignored"
# a worker without the right secret is refused by Tomcat
sed -i "s/^worker.wecom.secret=.*/worker.wecom.secret=wrong/" "$A/workers.properties"
old_pid=$(cat "$A/httpd.pid"); kill "$old_pid"
for i in $(seq 1 40); do kill -0 "$old_pid" 2>/dev/null || break; sleep 0.25; done
apache2 -f "$A/httpd.conf" -k start 2>/dev/null; sleep 1
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$D/pki/ca.pem" "https://localhost:$APX/callback?$URLQ")
check_eq "AJP with a wrong secret is refused by Tomcat" "$code" 403
kill "$(cat "$A/httpd.pid")"
# Debian's layout: ports.conf already says "Listen 443" and mods-available/jk.conf sets JkWorkersFile; a second
# of either stops Apache. With "Define WECOM_DEBIAN" before the Include (DEPLOYING.md) the configuration passes.
if [ -f /etc/apache2/mods-available/jk.conf ]; then
  debian="Listen $APX\nLoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so\nInclude /etc/apache2/mods-available/jk.conf"
  sed "s|^Include |$debian\nInclude |" "$A/httpd.conf" > "$A/httpd-debian.conf"
  out=$(apache2 -t -f "$A/httpd-debian.conf" 2>&1)
  if grep -q 'Cannot define multiple Listeners\|only allowed once' <<<"$out"; then
    ok "Apache, Debian layout without WECOM_DEBIAN: refused as documented ($(grep -o 'Cannot define multiple Listeners\|[A-Za-z]* only allowed once' <<<"$out" | head -1))"
  else bad "Apache, Debian layout without WECOM_DEBIAN: expected a duplicate Listen/JkWorkersFile refusal: $out"; fi
  sed "s|^Include |$debian\nDefine WECOM_DEBIAN\nInclude |" "$A/httpd.conf" > "$A/httpd-debian.conf"
  out=$(apache2 -t -f "$A/httpd-debian.conf" 2>&1)
  grep -q 'Syntax OK' <<<"$out" && ok "Apache, Debian layout with Define WECOM_DEBIAN: configuration accepted" \
    || bad "Apache, Debian layout with WECOM_DEBIAN: $out"
else
  echo "SKIP: Apache's Debian layout (no /etc/apache2/mods-available/jk.conf on this machine)"
fi

# ---- 4. IPv6 loopback proxy: CIDR internalProxies match 0:0:0:0:0:0:0:1, the regex "127\.0\.0\.1|::1" does not
for mode in cidr regex; do
  B6=$D/vbase-v6-$mode; PORT_BASE_SAVE=$P
  P=$((P+40)); SHUT=$((P+5)); HTTP=$((HTTP6)); HTTPS=$((P+2)); AJP=$((P+3))
  mkbase "$B6"; P=$PORT_BASE_SAVE; SHUT=$((P+5)); HTTP=$((P+1)); HTTPS=$((P+2)); AJP=$((P+3))
  echo "wecom.http.address=::1" >> "$B6/conf/catalina.properties"
  [ $mode = regex ] && echo 'wecom.proxies=127\\.0\\.0\\.1|::1' >> "$B6/conf/catalina.properties"
  start_tomcat "$B6" || { bad "IPv6 Tomcat ($mode) did not start"; tail -20 "$B6/logs/catalina.out"; continue; }
  curl_exact "nginx -> [::1] Tomcat ($mode)" "https://localhost:$NGX6/callback"
  if ! outside "IPv6 loopback proxy ($mode): which address Tomcat logs"; then stop_tomcat "$B6"; continue; fi
  curl -s -o /dev/null --cacert "$D/pki/ca.pem" --resolve "localhost:$NGX6:$NONLOOP" "https://localhost:$NGX6/callback?v6=$mode"
  sleep 0.3
  if [ $mode = cidr ]; then access_has "$B6" "^${NONLOOP//./\\.} .*v6=cidr" "IPv6 loopback proxy trusted with CIDR ::1/128: client $NONLOOP logged"
  else access_has "$B6" "^0:0:0:0:0:0:0:1 .*v6=regex" "regex '127\\.0\\.0\\.1|::1' does NOT match IPv6 loopback: proxy address 0:0:0:0:0:0:0:1 logged"; fi
  stop_tomcat "$B6"
done

# ---- 5. Start-up tells the truth; catalina.properties feeds the WAR; webapps/ROOT shadows ROOT.war -------------
stop_tomcat "$B"
# The WAR leaves nothing of its own in Tomcat's threads: when the application stops, Tomcat names every ThreadLocal
# value of a class the application loaded (it would keep the class loader alive across a redeploy).
if grep -q 'created a ThreadLocal' "$B/logs/catalina.out"; then
  bad "the WAR left ThreadLocal values of its own classes in Tomcat's threads: $(grep -m1 -o 'value of type \[[^]]*\]' "$B/logs/catalina.out")"
else ok "after the callbacks above, the stopping WAR leaves no ThreadLocal value of its own classes in Tomcat's threads"; fi
run_exit() { # run_exit BASE: catalina.sh run in the foreground, at most 60 s; prints the exit status
  env CATALINA_BASE="$1" WECOM_TIMESTAMP_TOLERANCE_SECONDS=0 timeout 60 "$CATALINA_HOME/bin/catalina.sh" run > "$1/run.out" 2>&1; echo $?
}
B=$D/vbase-badpw; mkbase "$B" https-pfx; echo 'wrong-password' > "$B/conf/tls/pfx.password"
check_eq "wrong PFX password: Tomcat exits with status 1" "$(run_exit "$B")" 1
grep -q 'keystore password was incorrect' "$B/run.out" && ok "wrong PFX password: the log says 'keystore password was incorrect'" || bad "no password error in the log"
B=$D/vbase-pem; mkbase "$B" https-pem
if start_tomcat "$B"; then
  curl_exact "Tomcat HTTPS (PEM files)" "https://localhost:$HTTPS/callback"
  tool_check "Tomcat HTTPS (PEM files)" "https://localhost:$HTTPS/callback"
else bad "Tomcat with [https-pem] did not start: $(grep -m3 SEVERE "$B/logs/catalina.out")"; fi
stop_tomcat "$B"
B=$D/vbase-noajpsecret; mkbase "$B" ajp
# the secret is checked when the connector starts, after init: Tomcat stops itself but with status 0 (observed)
st=$(run_exit "$B")
[ "$st" != 124 ] && grep -q 'secretRequired="true" but the secret attribute is either null' "$B/run.out" \
  && ok "AJP enabled without wecom.ajp.secret: Tomcat stops (status $st) and says why" || bad "AJP without secret: status $st"
B=$D/vbase-props; mkbase "$B"; echo 'WECOM_TOKEN=tokenFromCatalinaProps1' >> "$B/conf/catalina.properties"
start_tomcat "$B"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/callback?$URLQ")
check_eq "WECOM_TOKEN from catalina.properties is used (documented vector now 403)" "$code" 403
out=$(java -jar "$TOOL" verify-url "http://127.0.0.1:$HTTP/callback" --token tokenFromCatalinaProps1 \
      --encoding-aes-key jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C --corp-id wx5823bf96d3bd56c7 2>&1) \
  && ok "verify-url with the catalina.properties token passes" || bad "verify-url: $out"
grep -q tokenFromCatalinaProps1 "$B"/logs/* && bad "token from catalina.properties appears in logs" || ok "token from catalina.properties appears in no log"
stop_tomcat "$B"
# The gateway with WECOM_FORWARD_URL but no WECOM_FORWARD_SECRET: the application does not start (404, not a 500
# on every callback), and the log names the variable.
B=$D/vbase-gateway; mkbase "$B"
export WECOM_FORWARD_URL=http://127.0.0.1:9/backend
start_tomcat "$B"
unset WECOM_FORWARD_URL
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/callback?$URLQ")
check_eq "gateway without WECOM_FORWARD_SECRET: the application is not served" "$code" 404
grep -q 'init-param forwardSecret (in the stock WAR: WECOM_FORWARD_SECRET) is invalid' "$B/logs/catalina.out" \
  && ok "gateway without WECOM_FORWARD_SECRET: the start-up log names the variable" \
  || bad "gateway misconfiguration not named at start-up: $(grep -m2 -i 'forward' "$B/logs/catalina.out")"
stop_tomcat "$B"
B=$D/vbase-stockroot; mkbase "$B"; cp -r "$CATALINA_HOME/webapps/ROOT" "$B/webapps/ROOT"
start_tomcat "$B"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/callback?$URLQ")
check_eq "stock webapps/ROOT next to ROOT.war: /callback is Tomcat's 404 (the WAR is shadowed)" "$code" 404
stop_tomcat "$B"

echo; [ $fail = 0 ] && echo "ALL PASSED" || echo "SOME CHECKS FAILED"
exit $fail
