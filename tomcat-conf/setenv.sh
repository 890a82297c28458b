# $CATALINA_BASE/bin/setenv.sh for wecom-callback: JVM options only, never a secret. Everything after -D on
# the java command line is printed by VersionLoggerListener into the log and shown by `ps` to every user.
# Ports, paths and EXIT_ON_INIT_FAILURE are in conf/catalina.properties (wecom.properties); WECOM_TOKEN,
# WECOM_ENCODING_AES_KEY, WECOM_CORP_ID come from the environment (systemd EnvironmentFile, chmod 600).
CATALINA_OPTS="$CATALINA_OPTS -Xms128m -Xmx512m"
UMASK=0027
# Started in the foreground (catalina.sh run, or systemd): stop it with Ctrl-C or systemctl stop. For
# catalina.sh start/stop instead, add CATALINA_PID="$CATALINA_BASE/temp/tomcat.pid" here.
