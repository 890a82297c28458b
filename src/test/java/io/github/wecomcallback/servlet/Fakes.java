package io.github.wecomcallback.servlet;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Minimal servlet fakes for fast filter tests without a container: only what the filter calls. */
final class Fakes {
    private Fakes() {
    }

    static FilterConfig filterConfig(String name, Map<String, String> initParams, Map<String, String> contextParams) {
        ServletContext context = proxy(ServletContext.class, (method, args) -> switch (method) {
            case "getInitParameter" -> contextParams.get((String) args[0]);
            case "getInitParameterNames" -> Collections.enumeration(contextParams.keySet());
            default -> null;
        });
        return proxy(FilterConfig.class, (method, args) -> switch (method) {
            case "getFilterName" -> name;
            case "getInitParameter" -> initParams.get((String) args[0]);
            case "getInitParameterNames" -> Collections.enumeration(initParams.keySet());
            case "getServletContext" -> context;
            default -> null;
        });
    }

    static HttpServletRequest request(String method, String query, byte[] body) {
        Map<String, Object> attributes = new HashMap<>();
        ServletInputStream stream = new PlaintextRequest.BodyStream(ByteBuffer.wrap(body));
        return proxy(HttpServletRequest.class, (name, args) -> switch (name) {
            case "getMethod" -> method;
            case "getQueryString" -> query;
            case "getInputStream" -> stream;
            case "getContentLengthLong" -> (long) body.length;
            case "getContentLength" -> body.length;
            case "getRemoteAddr" -> "192.0.2.7";
            case "getAttribute" -> attributes.get((String) args[0]);
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            default -> null;
        });
    }

    /** A response that records status, headers and body. */
    static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final HttpServletResponse servlet = proxy(HttpServletResponse.class, (name, args) -> {
            switch (name) {
                case "setStatus" -> status = (Integer) args[0];
                case "getStatus" -> {
                    return status;
                }
                case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                case "setContentLength" -> headers.put("Content-Length", args[0].toString());
                case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                case "getOutputStream" -> {
                    return new ServletOutputStream() {
                        @Override
                        public void write(int b) {
                            body.write(b);
                        }

                        @Override
                        public boolean isReady() {
                            return true;
                        }

                        @Override
                        public void setWriteListener(WriteListener listener) {
                        }
                    };
                }
                default -> {
                }
            }
            return null;
        });
    }

    interface Handler {
        Object handle(String method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Handler handler) {
        return (T) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> {
                    Object result = handler.handle(method.getName(), args);
                    if (result == null && method.getReturnType().isPrimitive()
                            && method.getReturnType() != void.class) {
                        return method.getReturnType() == boolean.class ? false : 0;
                    }
                    return result;
                });
    }
}
