package io.github.wecomcallback.tool;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.net.URLDecoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import io.github.wecomcallback.crypto.EncodingAesKey;
import io.github.wecomcallback.crypto.PayloadCipher;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.crypto.WeComCryptoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "decrypt", mixinStandardHelpOptions = true,
        description = {"Decrypts a captured Encrypt or echostr, or a whole callback URL, to help debugging.",
            "With --token, also checks the signature of a callback URL; with --corp-id, the receive id."})
final class DecryptCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "the ciphertext (Encrypt / echostr), or a callback URL with msg_signature, timestamp, nonce and echostr")
    String input;

    @Option(names = "--encoding-aes-key", required = true, description = "EncodingAESKey (43 characters)")
    String encodingAesKey;

    @Option(names = "--token", description = "Token, to check msg_signature of a callback URL")
    String token;

    @Option(names = "--corp-id", description = "expected receive id (corp id, suite id, or \"\" for bots)")
    String corpId;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> query = input.contains("echostr=") ? parseQuery(URI.create(input.strip()).getRawQuery())
                : null;
        String ciphertext = query == null ? input.strip() : query.get("echostr");
        int status = 0;
        if (ciphertext.contains(" ")) {
            out.println("note: the ciphertext contains spaces, turned back into '+' (a URL was decoded twice)");
            ciphertext = ciphertext.replace(' ', '+');
        }
        if (token != null && query != null) {
            String expected = WeComCrypto.builder(token, encodingAesKey, "").timestampTolerance(Duration.ZERO).build()
                    .sign(query.get("timestamp"), query.get("nonce"), ciphertext);
            boolean match = expected.equals(query.get("msg_signature"));
            out.println("signature: " + (match ? "OK" : "MISMATCH (-40001): computed " + expected + ", the URL has "
                    + query.get("msg_signature") + "; the token differs from the one that signed this URL"));
            status = match ? 0 : 1;
        }
        PayloadCipher.Payload payload;
        try {
            payload = PayloadCipher.decrypt(EncodingAesKey.of(encodingAesKey), ciphertext);
        } catch (WeComCryptoException e) {
            out.println("decryption FAILED: " + e.getMessage()
                    + (e.error().code() == -40008 ? " (the EncodingAESKey is not the one this was encrypted with)" : ""));
            return 1;
        }
        out.println("receive id: [" + payload.receiveIdText() + "]");
        if (corpId != null && !corpId.equals(payload.receiveIdText())) {
            out.println("receive id MISMATCH (-40005): expected [" + corpId + "]");
            status = 1;
        }
        out.println("plaintext (" + payload.message().length + " bytes):");
        out.println(new String(payload.message(), StandardCharsets.UTF_8));
        return status;
    }

    /**
     * The parameters of a captured callback URL (first of each). The simulator plays the platform, so it keeps
     * its own reader rather than share the filter's: a bug there must not hide itself.
     */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            values.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
