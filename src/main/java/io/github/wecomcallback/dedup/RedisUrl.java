package io.github.wecomcallback.dedup;

import java.net.URI;

/** A validated {@code redis://} or {@code rediss://} URL, and its description without the password. */
public final class RedisUrl {
    private final URI uri;

    private RedisUrl(URI uri) {
        this.uri = uri;
    }

    /** @throws IllegalArgumentException with what is wrong (never the URL itself: it may hold a password) */
    public static RedisUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL (expected redis://host:6379/0)", e);
        }
        if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected redis://[:password@]host:port/db or rediss://...");
        }
        String path = uri.getPath();
        if (path != null && !path.isEmpty() && !path.matches("/[0-9]{1,2}")) {
            throw new IllegalArgumentException("the path must be a database number such as /0");
        }
        return new RedisUrl(uri);
    }

    URI uri() {
        return uri;
    }

    /** {@code scheme://host:port/db}: safe to log. */
    @Override
    public String toString() {
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort())
                + (uri.getPath() == null || uri.getPath().isEmpty() ? "" : uri.getPath());
    }
}
