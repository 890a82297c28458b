package io.github.wecomcallback.bench;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application of the end-to-end benchmark, the same behind every filter and bare: reads the whole body and
 * answers nothing, or (init-param {@code reply=true}) a small text reply, as an application answering WeCom does.
 */
public class BenchApp extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String REPLY = "<xml><ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA["
            + EndToEndBench.CORP + "]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]>"
            + "</MsgType><Content><![CDATA[got it]]></Content></xml>";
    private boolean reply;

    /** For web.xml: answers as its init-param {@code reply} says. */
    public BenchApp() {
    }

    BenchApp(boolean reply) {
        this.reply = reply;
    }

    @Override
    public void init() throws ServletException {
        reply = reply || Boolean.parseBoolean(getInitParameter("reply"));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.getInputStream().readAllBytes();
        if (reply) {
            response.getWriter().write(REPLY);
        }
    }
}
