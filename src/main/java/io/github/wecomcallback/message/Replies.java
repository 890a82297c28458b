package io.github.wecomcallback.message;

import java.time.Instant;
import java.util.List;

/** The reply types WeCom accepts from applications: text, image, voice, video, news and update_button. */
public final class Replies {
    private Replies() {
    }

    /** A text reply to the sender of {@code message}. */
    public static TextReply text(WeComMessage message, String content) {
        return new TextReply(message.fromUserName(), message.toUserName(), Instant.now(), content);
    }

    public static ImageReply image(WeComMessage message, String mediaId) {
        return new ImageReply(message.fromUserName(), message.toUserName(), Instant.now(), mediaId);
    }

    public static VoiceReply voice(WeComMessage message, String mediaId) {
        return new VoiceReply(message.fromUserName(), message.toUserName(), Instant.now(), mediaId);
    }

    public static VideoReply video(WeComMessage message, String mediaId, String title, String description) {
        return new VideoReply(message.fromUserName(), message.toUserName(), Instant.now(), mediaId, title, description);
    }

    public static NewsReply news(WeComMessage message, List<Article> articles) {
        return new NewsReply(message.fromUserName(), message.toUserName(), Instant.now(), articles);
    }

    public static UpdateButtonReply updateButton(WeComMessage message, String replaceName) {
        return new UpdateButtonReply(message.fromUserName(), message.toUserName(), Instant.now(), replaceName);
    }

    /** {@code <Content>}. */
    public static final class TextReply extends Reply {
        private final String content;

        public TextReply(String toUserName, String fromUserName, Instant createTime, String content) {
            super("text", toUserName, fromUserName, createTime);
            this.content = content;
        }

        public String content() { return content; }

        @Override
        void writeBody(StringBuilder out) {
            text(out, "Content", content);
        }
    }

    /** {@code <Image><MediaId>}. */
    public static final class ImageReply extends Reply {
        private final String mediaId;

        public ImageReply(String toUserName, String fromUserName, Instant createTime, String mediaId) {
            super("image", toUserName, fromUserName, createTime);
            this.mediaId = mediaId;
        }

        public String mediaId() { return mediaId; }

        @Override
        void writeBody(StringBuilder out) {
            out.append("<Image>");
            text(out, "MediaId", mediaId);
            out.append("</Image>");
        }
    }

    /** {@code <Voice><MediaId>}. */
    public static final class VoiceReply extends Reply {
        private final String mediaId;

        public VoiceReply(String toUserName, String fromUserName, Instant createTime, String mediaId) {
            super("voice", toUserName, fromUserName, createTime);
            this.mediaId = mediaId;
        }

        public String mediaId() { return mediaId; }

        @Override
        void writeBody(StringBuilder out) {
            out.append("<Voice>");
            text(out, "MediaId", mediaId);
            out.append("</Voice>");
        }
    }

    /** {@code <Video><MediaId><Title><Description>}. */
    public static final class VideoReply extends Reply {
        private final String mediaId;
        private final String title;
        private final String description;

        public VideoReply(String toUserName, String fromUserName, Instant createTime, String mediaId, String title,
                String description) {
            super("video", toUserName, fromUserName, createTime);
            this.mediaId = mediaId;
            this.title = title;
            this.description = description;
        }

        public String mediaId() { return mediaId; }
        public String title() { return title; }
        public String description() { return description; }

        @Override
        void writeBody(StringBuilder out) {
            out.append("<Video>");
            text(out, "MediaId", mediaId);
            text(out, "Title", title);
            text(out, "Description", description);
            out.append("</Video>");
        }
    }

    /** One item of a news reply. */
    public static final class Article {
        private final String title;
        private final String description;
        private final String picUrl;
        private final String url;

        public Article(String title, String description, String picUrl, String url) {
            this.title = title;
            this.description = description;
            this.picUrl = picUrl;
            this.url = url;
        }

        public String title() { return title; }
        public String description() { return description; }
        public String picUrl() { return picUrl; }
        public String url() { return url; }
    }

    /** {@code <ArticleCount>} and {@code <Articles>} of {@code <item>}s. */
    public static final class NewsReply extends Reply {
        private final List<Article> articles;

        public NewsReply(String toUserName, String fromUserName, Instant createTime, List<Article> articles) {
            super("news", toUserName, fromUserName, createTime);
            this.articles = List.copyOf(articles);
        }

        public List<Article> articles() { return articles; }

        @Override
        void writeBody(StringBuilder out) {
            out.append("<ArticleCount>").append(articles.size()).append("</ArticleCount><Articles>");
            for (Article article : articles) {
                out.append("<item>");
                text(out, "Title", article.title);
                text(out, "Description", article.description);
                text(out, "PicUrl", article.picUrl);
                text(out, "Url", article.url);
                out.append("</item>");
            }
            out.append("</Articles>");
        }
    }

    /** {@code <Button><ReplaceName>}: updates a template card's button. */
    public static final class UpdateButtonReply extends Reply {
        private final String replaceName;

        public UpdateButtonReply(String toUserName, String fromUserName, Instant createTime, String replaceName) {
            super("update_button", toUserName, fromUserName, createTime);
            this.replaceName = replaceName;
        }

        public String replaceName() { return replaceName; }

        @Override
        void writeBody(StringBuilder out) {
            out.append("<Button>");
            text(out, "ReplaceName", replaceName);
            out.append("</Button>");
        }
    }
}
