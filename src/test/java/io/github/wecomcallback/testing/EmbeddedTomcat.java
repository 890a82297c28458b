package io.github.wecomcallback.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;

/** A real Tomcat on a free loopback port, with filters and servlets added in code. */
public final class EmbeddedTomcat implements AutoCloseable {
    private final Tomcat tomcat = new Tomcat();
    private final Context context;

    public EmbeddedTomcat() throws Exception {
        Path base = Files.createTempDirectory("wecom-tomcat");
        tomcat.setBaseDir(base.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        context = tomcat.addContext("", base.toString());
    }

    public EmbeddedTomcat filter(String name, Filter filter, Map<String, String> initParams, String urlPattern) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        def.setFilterClass(filter.getClass().getName());
        initParams.forEach(def::addInitParameter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPattern(urlPattern);
        context.addFilterMap(map);
        return this;
    }

    public EmbeddedTomcat servlet(String name, HttpServlet servlet, String urlPattern) {
        return servlet(name, servlet, urlPattern, Map.of());
    }

    public EmbeddedTomcat servlet(String name, HttpServlet servlet, String urlPattern, Map<String, String> initParams) {
        org.apache.catalina.Wrapper wrapper = Tomcat.addServlet(context, name, servlet);
        initParams.forEach(wrapper::addInitParameter);
        context.addServletMappingDecoded(urlPattern, name);
        return this;
    }

    /** The default error page of the context, at this servlet. */
    public EmbeddedTomcat errorPage(HttpServlet servlet, String location) {
        servlet(servlet.getClass().getSimpleName(), servlet, location);
        ErrorPage page = new ErrorPage();
        page.setLocation(location);
        context.addErrorPage(page);
        return this;
    }

    public EmbeddedTomcat start() throws LifecycleException {
        tomcat.start();
        return this;
    }

    /** False when a filter failed to start, which makes Tomcat mark the context unavailable. */
    public boolean contextAvailable() {
        return context.getState().isAvailable();
    }

    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void close() throws Exception {
        tomcat.stop();
        tomcat.destroy();
    }
}
