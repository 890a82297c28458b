package io.github.wecomcallback.legacy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Starts an embedded Tomcat with the filter and the demo servlet by class name, prints its port and waits.
 * Compiled against Tomcat 11 but calling only what Tomcat 9 has with the same signatures, so that
 * {@code JavaxTomcat9IT} can run it on a Tomcat 9 (javax.servlet) classpath with the javax jar.
 */
public final class LegacyTomcatMain {
    private LegacyTomcatMain() {
    }

    public static void main(String[] args) throws Exception {
        Path base = Files.createTempDirectory("wecom-tomcat9");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", base.toString());

        FilterDef filter = new FilterDef();
        filter.setFilterName("wecom");
        filter.setFilterClass("io.github.wecomcallback.servlet.WeComCallbackFilter");
        for (int i = 0; i + 1 < args.length; i += 2) {
            filter.addInitParameter(args[i], args[i + 1]);
        }
        context.addFilterDef(filter);
        FilterMap map = new FilterMap();
        map.setFilterName("wecom");
        map.addURLPattern("/callback");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "demo", "io.github.wecomcallback.demo.EchoServlet");
        context.addServletMappingDecoded("/callback", "demo");

        tomcat.start();
        System.out.println("PORT " + tomcat.getConnector().getLocalPort());
        System.out.flush();
        tomcat.getServer().await();
    }
}
