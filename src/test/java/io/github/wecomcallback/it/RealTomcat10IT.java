package io.github.wecomcallback.it;

/** The built WAR in a real Tomcat 10.1 (Servlet 6.0), started by Cargo before the integration tests. */
class RealTomcat10IT extends DemoWarContract {
    @Override
    int port() {
        String port = System.getProperty("it.tomcat10.http.port");
        if (port == null) {
            throw new IllegalStateException("it.tomcat10.http.port is not set: run the integration tests with mvn verify");
        }
        return Integer.parseInt(port);
    }
}
