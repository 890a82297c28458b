package io.github.wecomcallback.crypto;

/**
 * The four fields of a passive-reply envelope: {@code Encrypt}, {@code MsgSignature}, {@code TimeStamp}
 * (seconds) and {@code Nonce}. Serialise it with {@code io.github.wecomcallback.message.ReplyEnvelope}.
 */
public record EncryptedReply(String encrypt, String msgSignature, long timeStamp, String nonce) {
}
