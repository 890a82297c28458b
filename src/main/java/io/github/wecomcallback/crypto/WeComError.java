package io.github.wecomcallback.crypto;

/**
 * The error codes of WeCom's official callback libraries ("加解密方案说明"), with their official names.
 * A refusal answers with {@link #code()} alone so that a user can look it up in WeCom's documentation.
 */
public enum WeComError {
    VALIDATE_SIGNATURE_ERROR(-40001, "ValidateSignatureError", "signature mismatch"),
    PARSE_XML_ERROR(-40002, "ParseXmlError", "XML (or JSON) parse failure"),
    COMPUTE_SIGNATURE_ERROR(-40003, "ComputeSignatureError", "SHA-1 computation failed"),
    ILLEGAL_AES_KEY(-40004, "IllegalAesKey", "EncodingAESKey is not 43 characters / 32 bytes"),
    VALIDATE_CORPID_ERROR(-40005, "ValidateCorpidError", "receive id mismatch"),
    ENCRYPT_AES_ERROR(-40006, "EncryptAESError", "AES encryption failed"),
    DECRYPT_AES_ERROR(-40007, "DecryptAESError", "AES decryption failed"),
    ILLEGAL_BUFFER(-40008, "IllegalBuffer", "decrypted buffer invalid (padding, length)"),
    ENCODE_BASE64_ERROR(-40009, "EncodeBase64Error", "Base64 encoding failed"),
    DECODE_BASE64_ERROR(-40010, "DecodeBase64Error", "Base64 decoding failed"),
    GEN_RETURN_XML_ERROR(-40011, "GenReturnXmlError", "building the reply XML failed");

    private final int code;
    private final String officialName;
    private final String meaning;

    WeComError(int code, String officialName, String meaning) {
        this.code = code;
        this.officialName = officialName;
        this.meaning = meaning;
    }

    /** The official numeric code, for example {@code -40001}. */
    public int code() {
        return code;
    }

    /** The name used by the official sample libraries, for example {@code ValidateSignatureError}. */
    public String officialName() {
        return officialName;
    }

    public String meaning() {
        return meaning;
    }

    @Override
    public String toString() {
        return code + " " + officialName;
    }
}
