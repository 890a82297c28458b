package io.github.wecomcallback.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.dedup.DeliveryKeys;

/**
 * The pooled ciphers, digests, MACs and DRBGs under many threads at once, through the code that uses them: every
 * callback decrypted from its body bytes and from its String, every reply decrypted back, every delivery id the
 * same as computed alone, and no two replies with the same random prefix. A pool that handed one object to two
 * threads would garble some of these.
 */
class ConcurrentCallbacksTest {
    private static final String TOKEN = "Conc7Token";
    private static final String KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543";
    private static final String CORP = "ww0123456789abcdef";

    @Test
    void sixteenThreads_eachCallbackVerifiesDecryptsAndIsNamedAsAlone() throws Exception {
        WeComCrypto crypto = WeComCrypto.builder(TOKEN, KEY, CORP).timestampTolerance(java.time.Duration.ZERO).build();
        DeliveryKeys keys = new DeliveryKeys(TOKEN, KEY, CORP);
        int threads = 16;
        int perThread = 1_500;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(executor.submit(() -> {
                start.await();
                List<String> prefixes = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    byte[] message = ("<xml><Content><![CDATA[thread " + thread + " message " + i + " "
                            + "x".repeat(i % 300) + "]]></Content></xml>").getBytes(UTF_8);
                    String nonce = Integer.toString(1_000_000 + i);
                    EncryptedReply sealed = crypto.encrypt(message, nonce);
                    String timestamp = Long.toString(sealed.timeStamp());
                    String prefix = "<xml><Encrypt><![CDATA[";
                    byte[] body = (prefix + sealed.encrypt() + "]]></Encrypt></xml>").getBytes(UTF_8);
                    DecryptedMessage fromBytes = crypto.decrypt(sealed.msgSignature(), timestamp, nonce, body,
                            prefix.length(), sealed.encrypt().length());
                    DecryptedMessage fromString = crypto.decrypt(sealed.msgSignature(), timestamp, nonce,
                            sealed.encrypt());
                    assertArrayEquals(message, fromBytes.plaintext());
                    assertArrayEquals(message, fromString.plaintext());
                    assertEquals(keys.of(message), keys.of(fromBytes.plaintext()));
                    byte[] random = PayloadCipher.decrypt(EncodingAesKey.of(KEY), sealed.encrypt()).random();
                    prefixes.add(java.util.HexFormat.of().formatHex(random));
                }
                return prefixes;
            }));
        }
        start.countDown();
        Set<String> prefixes = new HashSet<>();
        int replies = 0;
        for (Future<List<String>> result : results) {
            List<String> mine = result.get();
            replies += mine.size();
            prefixes.addAll(mine);
        }
        executor.shutdown();
        assertEquals(threads * perThread, replies);
        assertEquals(replies, prefixes.size(), "every reply's 16 random bytes are its own");
        // The delivery ids computed under load are those computed alone.
        assertEquals(keys.of("<xml><Content><![CDATA[thread 3 message 7 xxxxxxx]]></Content></xml>".getBytes(UTF_8)),
                new DeliveryKeys(TOKEN, KEY, CORP).of(
                        "<xml><Content><![CDATA[thread 3 message 7 xxxxxxx]]></Content></xml>".getBytes(UTF_8)));
    }
}
