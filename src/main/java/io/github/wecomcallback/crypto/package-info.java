/**
 * WeCom's callback cryptography, without servlets: {@link io.github.wecomcallback.crypto.WeComCrypto} verifies
 * and decrypts URL checks and callbacks and encrypts replies, byte-exact with the official libraries.
 *
 * <p>API: {@code WeComCrypto} and its builder, {@code DecryptedMessage}, {@code EncryptedReply},
 * {@code WeComCryptoException} with its official {@code WeComError} code, and {@code EncodingAesKey} (to validate a
 * key). {@code PayloadCipher} is public only for the simulator, which must build echostrs WeCom's way, and
 * {@code HmacSha256} only for the duplicate guard's delivery ids; both may change in any release.
 */
package io.github.wecomcallback.crypto;
