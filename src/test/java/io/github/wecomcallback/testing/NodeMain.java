package io.github.wecomcallback.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import redis.clients.jedis.JedisPooled;

/**
 * One node of a cluster in a JVM of its own, so that tests can kill it hard: a Tomcat 11 with the filter
 * (init-params from the arguments) in front of an application that counts its runs in a separate Redis (which
 * outlives the node and is never the one under test) and behaves as the message's Content says:
 * {@code plain}; {@code sleep:<ms>}; {@code sleepOn:<node>:<ms>} (only on that node); {@code failFirst:<ms>}
 * (the first run sleeps, then answers 503; later runs succeed). Prints {@code PORT <n>} when ready.
 *
 * <p>Arguments: {@code <node name> <counter redis url> name value name value ...}
 */
public final class NodeMain {
    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String node = args[0];
        JedisPooled counter = new JedisPooled(java.net.URI.create(args[1]));
        Path base = Files.createTempDirectory("wecom-node-" + node);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", base.toString());
        FilterDef filter = new FilterDef();
        filter.setFilterName("wecom");
        filter.setFilterClass("io.github.wecomcallback.servlet.WeComCallbackFilter");
        for (int i = 2; i + 1 < args.length; i += 2) {
            filter.addInitParameter(args[i], args[i + 1]);
        }
        context.addFilterDef(filter);
        FilterMap map = new FilterMap();
        map.setFilterName("wecom");
        map.addURLPattern("/callback");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "app", new CountingApp(node, counter));
        context.addServletMappingDecoded("/callback", "app");
        tomcat.start();
        System.out.println("PORT " + tomcat.getConnector().getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
    }

    /** The application: counts each run of a message (by MsgId) and acts as its Content says. */
    static final class CountingApp extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String node;
        private final transient JedisPooled counter;

        CountingApp(String node, JedisPooled counter) {
            this.node = node;
            this.counter = counter;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String xml = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String msgId = Platform.field(xml, "MsgId");
            String content = Platform.field(xml, "Content");
            long run = counter.incr("runs:" + msgId);
            String[] parts = content.split(":");
            switch (parts[0]) {
                case "sleep" -> sleep(Long.parseLong(parts[1]));
                case "sleepOn" -> {
                    if (parts[1].equals(node)) {
                        sleep(Long.parseLong(parts[2]));
                    }
                }
                case "failFirst" -> {
                    if (run == 1) {
                        sleep(Long.parseLong(parts[1]));
                        response.sendError(503);
                        return;
                    }
                }
                default -> {
                }
            }
            response.getWriter().write("<xml><Content>run " + run + " on " + node + "</Content></xml>");
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
