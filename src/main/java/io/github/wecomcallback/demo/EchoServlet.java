package io.github.wecomcallback.demo;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.message.Replies;
import io.github.wecomcallback.message.WeComMessage;
import io.github.wecomcallback.servlet.WeComCallbackFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The demo application behind {@link WeComCallbackFilter}: it answers a text message with a text reply that
 * echoes it, and logs events. It sees only verified, decrypted requests and writes plaintext; the filter
 * encrypts the reply.
 */
public class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = System.getLogger(EchoServlet.class.getName());

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        WeComMessage message = (WeComMessage) request.getAttribute(WeComCallbackFilter.ATTRIBUTE_MESSAGE);
        if (message == null) {
            // A JSON (bot) callback or a shape the model does not know: acknowledge with an empty 200.
            return;
        }
        if (message.isEvent()) {
            LOG.log(Level.INFO, "event " + message.event() + " from " + message.fromUserName()
                    + (message.changeType() == null ? "" : " (" + message.changeType() + ")"));
            return;
        }
        if (WeComMessage.MsgType.TEXT.equals(message.msgType())) {
            response.setContentType(WeComCallbackFilter.XML_CONTENT_TYPE);
            response.getWriter().write(MessageCodec.toXml(Replies.text(message, "echo: " + message.content())));
        }
    }
}
