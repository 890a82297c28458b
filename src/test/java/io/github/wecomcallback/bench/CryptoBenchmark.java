package io.github.wecomcallback.bench;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.testing.SetA;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * Verify-and-decrypt and encrypt-and-sign of the official 284-byte message: ours, WxJava, and the raw JCA
 * floor (the same SHA-1 and AES work with no checks and no allocation beyond what the JDK needs), in one run.
 * Run: see README "Benchmarks".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CryptoBenchmark {
    private WeComCrypto ours;
    private WxCryptUtil wxJava;
    private SecretKeySpec key;
    private IvParameterSpec iv;
    private Cipher cipher;
    private MessageDigest sha1;
    private byte[] plaintext;

    @Setup
    public void setUp() throws Exception {
        ours = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                .timestampTolerance(java.time.Duration.ZERO).build(); // the 2014 vector
        wxJava = new WxCryptUtil(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        byte[] raw = Base64.getDecoder().decode(SetA.ENCODING_AES_KEY + "=");
        key = new SecretKeySpec(raw, "AES");
        iv = new IvParameterSpec(raw, 0, 16);
        cipher = Cipher.getInstance("AES/CBC/NoPadding");
        sha1 = MessageDigest.getInstance("SHA-1");
        plaintext = SetA.POST_PLAINTEXT.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] decrypt_ours() throws Exception {
        return ours.decrypt(SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP, SetA.POST_NONCE, SetA.POST_ENCRYPT)
                .plaintext();
    }

    @Benchmark
    public String decrypt_wxJava() {
        return wxJava.decryptContent(SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP, SetA.POST_NONCE, SetA.POST_ENCRYPT);
    }

    @Benchmark
    public byte[] decrypt_jcaFloor() throws Exception {
        String[] parts = {SetA.TOKEN, SetA.POST_TIMESTAMP, SetA.POST_NONCE, SetA.POST_ENCRYPT};
        Arrays.sort(parts);
        sha1.reset();
        for (String part : parts) {
            sha1.update(part.getBytes(StandardCharsets.UTF_8));
        }
        if (!HexFormat.of().formatHex(sha1.digest()).equals(SetA.POST_MSG_SIGNATURE)) {
            throw new IllegalStateException();
        }
        cipher.init(Cipher.DECRYPT_MODE, key, iv);
        return cipher.doFinal(Base64.getDecoder().decode(SetA.POST_ENCRYPT));
    }

    @Benchmark
    public EncryptedReply encrypt_ours() throws Exception {
        return ours.encrypt(plaintext, "1372623149");
    }

    @Benchmark
    public String encrypt_wxJava() {
        return wxJava.encrypt(SetA.POST_PLAINTEXT);
    }

    @Benchmark
    public String encrypt_jcaFloor() throws Exception {
        byte[] padded = Arrays.copyOf(plaintext, 320);
        cipher.init(Cipher.ENCRYPT_MODE, key, iv);
        String encrypt = Base64.getEncoder().encodeToString(cipher.doFinal(padded));
        String[] parts = {SetA.TOKEN, "1409659813", "1372623149", encrypt};
        Arrays.sort(parts);
        sha1.reset();
        for (String part : parts) {
            sha1.update(part.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha1.digest());
    }
}
