package io.github.wecomcallback.servlet;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** An application servlet that records what it saw and answers as the test tells it. */
class RecordingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    interface Behaviour {
        void answer(HttpServletRequest request, HttpServletResponse response) throws IOException;
    }

    final AtomicInteger invocations = new AtomicInteger();
    volatile byte[] body;
    volatile String contentType;
    volatile long contentLength;
    volatile String headerContentType;
    volatile Object message;
    volatile Object plaintext;
    volatile Object receiveId;
    volatile Object agentId;
    volatile Behaviour behaviour = (request, response) -> { };

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        invocations.incrementAndGet();
        body = request.getInputStream().readAllBytes();
        contentType = request.getContentType();
        contentLength = request.getContentLengthLong();
        headerContentType = request.getHeader("Content-Type");
        message = request.getAttribute(WeComCallbackFilter.ATTRIBUTE_MESSAGE);
        plaintext = request.getAttribute(WeComCallbackFilter.ATTRIBUTE_PLAINTEXT);
        receiveId = request.getAttribute(WeComCallbackFilter.ATTRIBUTE_RECEIVE_ID);
        agentId = request.getAttribute(WeComCallbackFilter.ATTRIBUTE_AGENT_ID);
        behaviour.answer(request, response);
    }
}
