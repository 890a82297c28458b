package example;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.message.Replies;
import io.github.wecomcallback.message.WeComMessage;
import io.github.wecomcallback.servlet.WeComCallbackFilter;

/**
 * Sees only verified, decrypted callbacks (the filter refuses everything else) and answers in plaintext: the
 * filter encrypts the answer. The URL check (GET) is answered by the filter alone.
 */
@RestController
public class CallbackController {
    @PostMapping(path = "${wecom.path}", produces = WeComCallbackFilter.XML_CONTENT_TYPE)
    public String onCallback(@RequestAttribute(name = WeComCallbackFilter.ATTRIBUTE_MESSAGE, required = false)
            WeComMessage message) {
        if (message == null || !WeComMessage.MsgType.TEXT.equals(message.msgType())) {
            return ""; // events, bot JSON: acknowledged with an empty 200
        }
        if ("boom".equals(message.content())) {
            throw new IllegalStateException("database password is hunter2"); // must never reach WeCom
        }
        return MessageCodec.toXml(Replies.text(message, "spring got: " + message.content()));
    }
}
