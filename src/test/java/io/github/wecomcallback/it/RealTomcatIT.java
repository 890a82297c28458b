package io.github.wecomcallback.it;

/** The built WAR in a real Tomcat 11 distribution, started by Cargo before the integration tests. */
class RealTomcatIT extends DemoWarContract {
    @Override
    int port() {
        String port = System.getProperty("it.http.port");
        if (port == null) {
            throw new IllegalStateException("it.http.port is not set: run the integration tests with mvn verify");
        }
        return Integer.parseInt(port);
    }
}
