/**
 * The messages inside callbacks and the replies to them: {@link io.github.wecomcallback.message.WeComMessage}
 * (typed accessors for every documented field), {@link io.github.wecomcallback.message.Replies} for the six
 * passive reply shapes, {@link io.github.wecomcallback.message.MessageCodec} to parse and write them, and
 * {@link io.github.wecomcallback.message.ReplyEnvelope} for the encrypted reply's envelope. Every reader is safe
 * against hostile XML (no DTD, no entities, bounded depth and size).
 *
 * <p>{@code Escaping} and {@code EncryptedEnvelope} are public for the simulator and the filter; they may change
 * in any release.
 */
package io.github.wecomcallback.message;
