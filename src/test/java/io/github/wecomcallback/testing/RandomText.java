package io.github.wecomcallback.testing;

import java.util.Random;

/** Random message text mixing ASCII, XML-special characters, Chinese and emoji (surrogate pairs). */
public final class RandomText {
    private static final String[] PIECES = {"a", "Z", "0", " ", "\n", "<", ">", "&", "\"", "'", "]]>", "<![CDATA[",
        "你", "好", "企业微信", "回调", "😀", "🚀", "é", "\t", "+", "/", "="};

    private RandomText() {
    }

    /** Text whose UTF-8 encoding is about {@code targetBytes} long (never longer than targetBytes + 12). */
    public static String ofUtf8Size(Random random, int targetBytes) {
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        while (bytes < targetBytes) {
            String piece = PIECES[random.nextInt(PIECES.length)];
            out.append(piece);
            bytes += piece.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return out.toString();
    }

    /** A size between 0 and 64 KiB, skewed towards small messages as real traffic is. */
    public static int size(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(64);
            case 1 -> random.nextInt(1024);
            case 2 -> random.nextInt(8 * 1024);
            default -> random.nextInt(64 * 1024 + 1);
        };
    }
}
