package io.github.wecomcallback.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * An error page that answers the status alone, with an empty body: no exception, no stack trace, no server
 * version. Where the container itself decides to fail a request (Tomcat does when a client sends less body
 * than it announced), this keeps its report off the wire. Register it as the application's default error page:
 *
 * <pre>{@code
 * <servlet><servlet-name>bare-error</servlet-name>
 *   <servlet-class>io.github.wecomcallback.servlet.BareErrorServlet</servlet-class></servlet>
 * <servlet-mapping><servlet-name>bare-error</servlet-name><url-pattern>/wecom-error</url-pattern></servlet-mapping>
 * <error-page><location>/wecom-error</location></error-page>
 * }</pre>
 */
public class BareErrorServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        response.setContentLength(0);
    }
}
