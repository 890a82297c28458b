package io.github.wecomcallback.message;

/** Thrown when untrusted XML or JSON cannot be parsed safely into the model (official code -40002). */
public final class MessageFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public MessageFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public MessageFormatException(String message) {
        super(message);
    }
}
