package io.github.wecomcallback.message;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;

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

    @XmlRootElement(name = "xml")
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"toUserName", "fromUserName", "createTime", "msgType", "content"})
    public static final class TextReply extends Reply {
        @XmlElement(name = "Content") private String content;

        TextReply() {
        }

        public TextReply(String toUserName, String fromUserName, Instant createTime, String content) {
            super("text", toUserName, fromUserName, createTime);
            this.content = content;
        }

        public String content() { return content; }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Media {
        @XmlElement(name = "MediaId") String mediaId;

        Media() {
        }

        Media(String mediaId) {
            this.mediaId = mediaId;
        }
    }

    @XmlRootElement(name = "xml")
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"toUserName", "fromUserName", "createTime", "msgType", "image"})
    public static final class ImageReply extends Reply {
        @XmlElement(name = "Image") private Media image;

        ImageReply() {
        }

        public ImageReply(String toUserName, String fromUserName, Instant createTime, String mediaId) {
            super("image", toUserName, fromUserName, createTime);
            this.image = new Media(mediaId);
        }

        public String mediaId() { return image.mediaId; }
    }

    @XmlRootElement(name = "xml")
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"toUserName", "fromUserName", "createTime", "msgType", "voice"})
    public static final class VoiceReply extends Reply {
        @XmlElement(name = "Voice") private Media voice;

        VoiceReply() {
        }

        public VoiceReply(String toUserName, String fromUserName, Instant createTime, String mediaId) {
            super("voice", toUserName, fromUserName, createTime);
            this.voice = new Media(mediaId);
        }

        public String mediaId() { return voice.mediaId; }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"mediaId", "title", "description"})
    static final class Video {
        @XmlElement(name = "MediaId") String mediaId;
        @XmlElement(name = "Title") String title;
        @XmlElement(name = "Description") String description;
    }

    @XmlRootElement(name = "xml")
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"toUserName", "fromUserName", "createTime", "msgType", "video"})
    public static final class VideoReply extends Reply {
        @XmlElement(name = "Video") private Video video;

        VideoReply() {
        }

        public VideoReply(String toUserName, String fromUserName, Instant createTime, String mediaId, String title,
                String description) {
            super("video", toUserName, fromUserName, createTime);
            this.video = new Video();
            video.mediaId = mediaId;
            video.title = title;
            video.description = description;
        }

        public String mediaId() { return video.mediaId; }
        public String title() { return video.title; }
        public String description() { return video.description; }
    }

    /** One item of a news reply. */
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"title", "description", "picUrl", "url"})
    public static final class Article {
        @XmlElement(name = "Title") private String title;
        @XmlElement(name = "Description") private String description;
        @XmlElement(name = "PicUrl") private String picUrl;
        @XmlElement(name = "Url") private String url;

        Article() {
        }

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

    @XmlRootElement(name = "xml")
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"toUserName", "fromUserName", "createTime", "msgType", "articleCount", "articles"})
    public static final class NewsReply extends Reply {
        @XmlElement(name = "ArticleCount") private int articleCount;
        @XmlElementWrapper(name = "Articles")
        @XmlElement(name = "item")
        private List<Article> articles = new ArrayList<>();

        NewsReply() {
        }

        public NewsReply(String toUserName, String fromUserName, Instant createTime, List<Article> articles) {
            super("news", toUserName, fromUserName, createTime);
            this.articles = new ArrayList<>(articles);
            this.articleCount = articles.size();
        }

        public List<Article> articles() { return List.copyOf(articles); }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    static final class Button {
        @XmlElement(name = "ReplaceName") String replaceName;
    }

    @XmlRootElement(name = "xml")
    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = {"toUserName", "fromUserName", "createTime", "msgType", "button"})
    public static final class UpdateButtonReply extends Reply {
        @XmlElement(name = "Button") private Button button;

        UpdateButtonReply() {
        }

        public UpdateButtonReply(String toUserName, String fromUserName, Instant createTime, String replaceName) {
            super("update_button", toUserName, fromUserName, createTime);
            this.button = new Button();
            button.replaceName = replaceName;
        }

        public String replaceName() { return button.replaceName; }
    }
}
