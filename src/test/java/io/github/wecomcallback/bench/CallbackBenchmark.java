package io.github.wecomcallback.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.message.EncryptedEnvelope;
import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.message.WeComMessage;
import me.chanjar.weixin.cp.bean.message.WxCpXmlMessage;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.cp.util.crypto.WxCpCryptUtil;

/**
 * What a POST callback costs before the application runs, from the request body's bytes: the envelope read, the
 * signature verified, the ciphertext decrypted (and, in the {@code _parsed} variants, the message parsed into the
 * model). Ours, WxJava 4.6.0 doing the same ({@code WxCpCryptUtil.decryptXml}, {@code WxCpXmlMessage.fromXml}),
 * and the raw floor: SHA-1 over the four sorted parts plus Base64 and AES-CBC, nothing else. A text message of
 * about 300 bytes (a typical callback) and of 16 KiB (a large event). Run with {@code -prof gc} for allocation
 * per operation: see README "Benchmarks".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CallbackBenchmark {
    private static final String TOKEN = "Bench7Token";
    private static final String KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543";
    private static final String CORP = "ww0123456789abcdef";

    @Param({"300", "16384"})
    public int messageBytes;

    private WeComCrypto ours;
    private WxCpCryptUtil wxJava;
    private byte[] body;
    private String bodyText;
    private String signature;
    private String timestamp;
    private String nonce;
    private String encrypt;
    private SecretKeySpec key;
    private IvParameterSpec iv;
    private Cipher cipher;
    private MessageDigest sha1;

    @Setup
    public void setUp() throws Exception {
        ours = WeComCrypto.builder(TOKEN, KEY, CORP).timestampTolerance(java.time.Duration.ZERO).build();
        WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
        config.setToken(TOKEN);
        config.setAesKey(KEY);
        config.setCorpId(CORP);
        wxJava = new WxCpCryptUtil(config);
        String head = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
                + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
                + "<![CDATA[";
        String tail = "]]></Content><MsgId>1234567890123456</MsgId><AgentID>1000002</AgentID></xml>";
        String message = head + "x".repeat(Math.max(1, messageBytes - head.length() - tail.length())) + tail;
        EncryptedReply sealed = ours.encrypt(message.getBytes(StandardCharsets.UTF_8), "1372623149");
        signature = sealed.msgSignature();
        timestamp = Long.toString(sealed.timeStamp());
        nonce = sealed.nonce();
        encrypt = sealed.encrypt();
        bodyText = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
                + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        body = bodyText.getBytes(StandardCharsets.UTF_8);
        byte[] raw = Base64.getDecoder().decode(KEY + "=");
        key = new SecretKeySpec(raw, "AES");
        iv = new IvParameterSpec(raw, 0, 16);
        cipher = Cipher.getInstance("AES/CBC/NoPadding");
        sha1 = MessageDigest.getInstance("SHA-1");
    }

    /** As the filter does: it reads the plaintext in place (a read-only view), without copying it out. */
    @Benchmark
    public ByteBuffer ours() throws Exception {
        EncryptedEnvelope envelope = MessageCodec.parseEnvelope(body);
        return envelope.decrypt(ours, signature, timestamp, nonce).plaintextBuffer();
    }

    /** The envelope alone: the part of {@link #ours} the floor does not pay. */
    @Benchmark
    public EncryptedEnvelope ours_envelope() throws Exception {
        return MessageCodec.parseEnvelope(body);
    }

    @Benchmark
    public WeComMessage ours_parsed() throws Exception {
        // As the filter does when the application asks for the message: the plaintext copied out, then parsed.
        EncryptedEnvelope envelope = MessageCodec.parseEnvelope(body);
        return MessageCodec.parseMessage(envelope.decrypt(ours, signature, timestamp, nonce).plaintext());
    }

    @Benchmark
    public String wxJava() {
        // WxJava reads the body as a String: the bytes-to-String step is part of its path, as in a filter.
        return wxJava.decryptXml(signature, timestamp, nonce, new String(body, StandardCharsets.UTF_8));
    }

    @Benchmark
    public WxCpXmlMessage wxJava_parsed() {
        return WxCpXmlMessage.fromXml(wxJava(), null);
    }

    @Benchmark
    public byte[] floor() throws Exception {
        String[] parts = {TOKEN, timestamp, nonce, encrypt};
        Arrays.sort(parts);
        sha1.reset();
        for (String part : parts) {
            sha1.update(part.getBytes(StandardCharsets.UTF_8));
        }
        if (!HexFormat.of().formatHex(sha1.digest()).equals(signature)) {
            throw new IllegalStateException();
        }
        cipher.init(Cipher.DECRYPT_MODE, key, iv);
        return cipher.doFinal(Base64.getDecoder().decode(encrypt));
    }
}
