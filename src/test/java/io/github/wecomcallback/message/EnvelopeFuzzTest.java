package io.github.wecomcallback.message;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for the readers of untrusted bodies: whatever the bytes, the only failure is a
 * {@link MessageFormatException} (any other exception fails the target), and no input hangs. In
 * {@code mvn verify} the stored inputs under {@code src/test/resources/.../EnvelopeFuzzTestInputs} run as
 * regression tests; {@code bench/fuzz.sh} fuzzes for real.
 */
class EnvelopeFuzzTest {
    @FuzzTest(maxExecutions = 1_000_000)
    void xmlEnvelope(byte[] body) {
        try {
            EncryptedEnvelope envelope = MessageCodec.parseEnvelope(body);
            if (envelope.encrypt() == null || envelope.encrypt().isEmpty()) {
                throw new AssertionError("an envelope without Encrypt was accepted");
            }
        } catch (MessageFormatException expected) {
            // refused, as it should be
        }
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void jsonEnvelope(byte[] tail) {
        byte[] body = new byte[tail.length + 1];
        body[0] = '{'; // the JSON reader, whatever follows
        System.arraycopy(tail, 0, body, 1, tail.length);
        try {
            if (MessageCodec.parseEnvelope(body).encrypt() == null) {
                throw new AssertionError("a JSON envelope without encrypt was accepted");
            }
        } catch (MessageFormatException expected) {
            // refused, as it should be
        }
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void message(byte[] plaintext) {
        try {
            MessageCodec.parseMessage(plaintext);
        } catch (MessageFormatException expected) {
            // refused, as it should be
        }
    }
}
