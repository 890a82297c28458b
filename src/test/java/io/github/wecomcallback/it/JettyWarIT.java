package io.github.wecomcallback.it;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same built WAR deployed unchanged in an embedded Jetty 12 (ee10). */
class JettyWarIT extends DemoWarContract {
    private static Server server;

    @BeforeAll
    static void start() throws Exception {
        Path war = Path.of(System.getProperty("it.war", "target/wecom-callback.war"));
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " does not exist: run the integration tests with mvn verify");
        }
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toAbsolutePath().toString());
        webapp.setTempDirectory(Files.createTempDirectory("wecom-jetty").toFile());
        server.setHandler(webapp);
        server.start();
        if (!webapp.isAvailable()) {
            throw new IllegalStateException("the WAR did not start in Jetty", webapp.getUnavailableException());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @Override
    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }
}
