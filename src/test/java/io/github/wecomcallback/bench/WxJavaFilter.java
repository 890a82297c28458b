package io.github.wecomcallback.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ReadListener;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import me.chanjar.weixin.cp.bean.message.WxCpXmlMessage;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.cp.util.crypto.WxCpCryptUtil;

/**
 * The comparison for the end-to-end benchmark: the same job done the way a WxJava 4.6.0 user writes it
 * ({@code WxCpCryptUtil} to verify, decrypt and encrypt, {@code WxCpXmlMessage} to parse), as a filter in front
 * of the same servlet. Not a product: no duplicate detection, no diagnostics.
 */
public class WxJavaFilter implements Filter {
    private WxCpCryptUtil crypt;

    /** For web.xml ({@code bench/tomcat.sh}): the init-params {@code token}, {@code encodingAesKey}, {@code corpId}. */
    public WxJavaFilter() {
    }

    public WxJavaFilter(String token, String aesKey, String corpId) {
        configure(token, aesKey, corpId);
    }

    @Override
    public void init(FilterConfig filterConfig) {
        if (crypt == null) {
            configure(filterConfig.getInitParameter("token"), filterConfig.getInitParameter("encodingAesKey"),
                    filterConfig.getInitParameter("corpId"));
        }
    }

    private void configure(String token, String aesKey, String corpId) {
        WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
        config.setToken(token);
        config.setAesKey(aesKey);
        config.setCorpId(corpId);
        crypt = new WxCpCryptUtil(config);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String signature = request.getParameter("msg_signature");
        String timestamp = request.getParameter("timestamp");
        String nonce = request.getParameter("nonce");
        if ("GET".equals(request.getMethod())) {
            String echo = crypt.decryptContent(signature, timestamp, nonce, request.getParameter("echostr"));
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(echo);
            return;
        }
        String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String plaintext = crypt.decryptXml(signature, timestamp, nonce, body);
        WxCpXmlMessage message = WxCpXmlMessage.fromXml(plaintext, null);
        request.setAttribute("wxMessage", message);
        byte[] bytes = plaintext.getBytes(StandardCharsets.UTF_8);
        Capture capture = new Capture(response);
        chain.doFilter(new HttpServletRequestWrapper(request) {
            @Override
            public ServletInputStream getInputStream() {
                java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(bytes);
                return new ServletInputStream() {
                    @Override
                    public int read() {
                        return in.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        return in.read(b, off, len);
                    }

                    @Override
                    public boolean isFinished() {
                        return in.available() == 0;
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                    }
                };
            }
        }, capture);
        String reply = capture.text();
        if (reply.isEmpty()) {
            response.setContentLength(0);
            return;
        }
        byte[] encrypted = crypt.encrypt(reply).getBytes(StandardCharsets.UTF_8);
        response.setContentType("text/xml;charset=UTF-8");
        response.setContentLength(encrypted.length);
        response.getOutputStream().write(encrypted);
    }

    private static final class Capture extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private PrintWriter writer;

        Capture(HttpServletResponse response) {
            super(response);
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                writer = new PrintWriter(new java.io.OutputStreamWriter(buffer, StandardCharsets.UTF_8));
            }
            return writer;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    buffer.write(b);
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

        String text() {
            if (writer != null) {
                writer.flush();
            }
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
