package io.github.wecomcallback.testing;

/** The official test vectors, Set A of docs/PROTOCOL.md §7. */
public final class SetA {
    public static final String TOKEN = "QDG6eK";
    public static final String ENCODING_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    public static final String CORP_ID = "wx5823bf96d3bd56c7";

    public static final String GET_MSG_SIGNATURE = "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3";
    public static final String GET_TIMESTAMP = "1409659589";
    public static final String GET_NONCE = "263014780";
    public static final String GET_ECHOSTR =
            "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    public static final String GET_ECHOSTR_ON_THE_WIRE =
            "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D";
    public static final String GET_PLAINTEXT = "1616140317555161061";
    public static final String GET_RANDOM = "c41b64491c2468d0";

    public static final String POST_MSG_SIGNATURE = "477715d11cdb4164915debcba66cb864d751f3e6";
    public static final String POST_TIMESTAMP = "1409659813";
    public static final String POST_NONCE = "1372623149";
    public static final String POST_ENCRYPT = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";
    public static final String POST_BODY = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA["
            + POST_ENCRYPT + "]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>";
    public static final String POST_PLAINTEXT = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
            + "<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n"
            + "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n"
            + "<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
    public static final String POST_RANDOM = "0960688932c47ef1";

    /** The WxJava known-answer encryption vector. */
    public static final String KAT_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    public static final String KAT_RANDOM = "aaaabbbbccccdddd";
    public static final String KAT_RECEIVE_ID = "wxb11529c136998cb6";
    public static final String KAT_PLAINTEXT = "我是中文abcd123";
    public static final String KAT_CIPHERTEXT =
            "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";

    /** The filter's init-params for Set A, plus any name/value pairs given. */
    public static java.util.Map<String, String> initParams(String... extraNamesAndValues) {
        java.util.Map<String, String> params = new java.util.HashMap<>(java.util.Map.of("token", TOKEN,
                "encodingAesKey", ENCODING_AES_KEY, "corpId", CORP_ID));
        for (int i = 0; i + 1 < extraNamesAndValues.length; i += 2) {
            params.put(extraNamesAndValues[i], extraNamesAndValues[i + 1]);
        }
        return params;
    }

    /**
     * The init-params for replaying the documentation's requests, whose timestamps are from 2014: the timestamp
     * window turned off explicitly (it is on by default).
     */
    public static java.util.Map<String, String> replayParams(String... extraNamesAndValues) {
        java.util.Map<String, String> params = initParams(extraNamesAndValues);
        params.putIfAbsent("timestampToleranceSeconds", "0");
        return params;
    }

    /** The core for Set A, with the timestamp window off so that the 2014 vectors replay. */
    public static io.github.wecomcallback.crypto.WeComCrypto.Builder replayCrypto(String receiveId) {
        return io.github.wecomcallback.crypto.WeComCrypto.builder(TOKEN, ENCODING_AES_KEY, receiveId)
                .timestampTolerance(java.time.Duration.ZERO);
    }

    private SetA() {
    }
}
