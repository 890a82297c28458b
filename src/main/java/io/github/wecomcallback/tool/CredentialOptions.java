package io.github.wecomcallback.tool;

import java.time.Duration;

import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.crypto.WeComCryptoException;
import picocli.CommandLine.Option;

/** The credentials of the WeCom console, shared by the commands that play WeCom. */
final class CredentialOptions {
    @Option(names = "--token", required = true, description = "Token of the WeCom console")
    String token;

    @Option(names = "--encoding-aes-key", required = true, description = "EncodingAESKey of the WeCom console (43 characters)")
    String encodingAesKey;

    @Option(names = "--corp-id", required = true, description = "corp id (企业ID)")
    String corpId;

    @Option(names = "--receive-id", description = "receive id to encrypt for, if not the corp id: a suite id, or \"\" for bots")
    String receiveId;

    /**
     * The platform's side: encrypts for the receive id the deployment should expect. It judges replies by their
     * signature and content, not by the deployment's clock (a skewed clock is reported where it matters: the
     * deployment refuses WeCom's timestamps).
     */
    WeComCrypto crypto() throws WeComCryptoException {
        return WeComCrypto.builder(token, encodingAesKey, receiveId != null ? receiveId : corpId)
                .timestampTolerance(Duration.ZERO).build();
    }
}
