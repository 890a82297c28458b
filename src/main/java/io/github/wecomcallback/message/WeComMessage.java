package io.github.wecomcallback.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;

import org.w3c.dom.Element;

/**
 * A decrypted inbound message or event ("接收消息与事件"). WeCom distinguishes kinds by the value of
 * {@code MsgType} (and {@code Event}), not by element names, so one flat class holds the fields of every
 * kind, like the protocol's own XML does; {@link #msgType()} and {@link #event()} say which apply.
 * Elements this class does not know are kept in {@link #otherElements()}, so new WeCom fields are never lost.
 */
@XmlRootElement(name = "xml")
@XmlAccessorType(XmlAccessType.FIELD)
public final class WeComMessage {
    /** Values of {@code MsgType}. */
    public static final class MsgType {
        public static final String TEXT = "text";
        public static final String IMAGE = "image";
        public static final String VOICE = "voice";
        public static final String VIDEO = "video";
        public static final String LOCATION = "location";
        public static final String LINK = "link";
        public static final String EVENT = "event";

        private MsgType() {
        }
    }

    /** Values of {@code Event} (case as WeCom sends them). */
    public static final class Event {
        public static final String SUBSCRIBE = "subscribe";
        public static final String UNSUBSCRIBE = "unsubscribe";
        public static final String ENTER_AGENT = "enter_agent";
        public static final String LOCATION = "LOCATION";
        public static final String CLICK = "click";
        public static final String VIEW = "view";
        public static final String SCANCODE_PUSH = "scancode_push";
        public static final String SCANCODE_WAITMSG = "scancode_waitmsg";
        public static final String PIC_SYSPHOTO = "pic_sysphoto";
        public static final String PIC_PHOTO_OR_ALBUM = "pic_photo_or_album";
        public static final String PIC_WEIXIN = "pic_weixin";
        public static final String LOCATION_SELECT = "location_select";
        public static final String BATCH_JOB_RESULT = "batch_job_result";
        public static final String CHANGE_CONTACT = "change_contact";
        public static final String CHANGE_EXTERNAL_CONTACT = "change_external_contact";
        public static final String CHANGE_EXTERNAL_CHAT = "change_external_chat";
        public static final String CHANGE_EXTERNAL_TAG = "change_external_tag";
        public static final String TEMPLATE_CARD_EVENT = "template_card_event";
        public static final String TASKCARD_CLICK = "taskcard_click";

        private Event() {
        }
    }

    /** Values of {@code ChangeType} in {@code change_contact} events. */
    public static final class ChangeType {
        public static final String CREATE_USER = "create_user";
        public static final String UPDATE_USER = "update_user";
        public static final String DELETE_USER = "delete_user";
        public static final String CREATE_PARTY = "create_party";
        public static final String UPDATE_PARTY = "update_party";
        public static final String DELETE_PARTY = "delete_party";
        public static final String UPDATE_TAG = "update_tag";

        private ChangeType() {
        }
    }

    @XmlElement(name = "ToUserName") private String toUserName;
    @XmlElement(name = "FromUserName") private String fromUserName;
    @XmlElement(name = "CreateTime") private Long createTime;
    @XmlElement(name = "MsgType") private String msgType;
    @XmlElement(name = "MsgId") private String msgId;
    @XmlElement(name = "AgentID") private String agentId;

    // text, image, voice, video, location, link
    @XmlElement(name = "Content") private String content;
    @XmlElement(name = "PicUrl") private String picUrl;
    @XmlElement(name = "MediaId") private String mediaId;
    @XmlElement(name = "Format") private String format;
    @XmlElement(name = "ThumbMediaId") private String thumbMediaId;
    @XmlElement(name = "Location_X") private Double locationX;
    @XmlElement(name = "Location_Y") private Double locationY;
    @XmlElement(name = "Scale") private Integer scale;
    @XmlElement(name = "Label") private String label;
    @XmlElement(name = "Title") private String title;
    @XmlElement(name = "Description") private String description;
    @XmlElement(name = "Url") private String url;

    // events
    @XmlElement(name = "Event") private String event;
    @XmlElement(name = "EventKey") private String eventKey;
    @XmlElement(name = "Latitude") private Double latitude;
    @XmlElement(name = "Longitude") private Double longitude;
    @XmlElement(name = "Precision") private Double precision;
    @XmlElement(name = "ScanCodeInfo") private ScanCodeInfo scanCodeInfo;
    @XmlElement(name = "SendPicsInfo") private SendPicsInfo sendPicsInfo;
    @XmlElement(name = "SendLocationInfo") private SendLocationInfo sendLocationInfo;
    @XmlElement(name = "BatchJob") private BatchJob batchJob;
    @XmlElement(name = "ChangeType") private String changeType;
    @XmlElement(name = "UserID") private String userId;
    @XmlElement(name = "NewUserID") private String newUserId;
    @XmlElement(name = "Name") private String name;
    @XmlElement(name = "Department") private String department;
    @XmlElement(name = "Mobile") private String mobile;
    @XmlElement(name = "Email") private String email;
    @XmlElement(name = "Status") private String status;
    @XmlElement(name = "Id") private String id;
    @XmlElement(name = "ParentId") private String parentId;
    @XmlElement(name = "TagId") private String tagId;
    @XmlElement(name = "AddUserItems") private String addUserItems;
    @XmlElement(name = "DelUserItems") private String delUserItems;
    @XmlElement(name = "ExternalUserID") private String externalUserId;
    @XmlElement(name = "State") private String state;
    @XmlElement(name = "WelcomeCode") private String welcomeCode;
    @XmlElement(name = "ChatId") private String chatId;
    @XmlElement(name = "UpdateDetail") private String updateDetail;
    @XmlElement(name = "TagType") private String tagType;
    @XmlElement(name = "TaskId") private String taskId;
    @XmlElement(name = "CardType") private String cardType;
    @XmlElement(name = "ResponseCode") private String responseCode;

    // third-party suite command callbacks (指令回调)
    @XmlElement(name = "SuiteId") private String suiteId;
    @XmlElement(name = "InfoType") private String infoType;
    @XmlElement(name = "SuiteTicket") private String suiteTicket;
    @XmlElement(name = "AuthCode") private String authCode;
    @XmlElement(name = "AuthCorpId") private String authCorpId;

    @XmlAnyElement
    private List<Element> otherElements = new ArrayList<>();

    public String toUserName() { return toUserName; }
    public String fromUserName() { return fromUserName; }
    /** Seconds since the epoch. */
    public Long createTime() { return createTime; }
    public String msgType() { return msgType; }
    /** Present on messages, absent on events. */
    public String msgId() { return msgId; }
    public String agentId() { return agentId; }
    public String content() { return content; }
    public String picUrl() { return picUrl; }
    public String mediaId() { return mediaId; }
    public String format() { return format; }
    public String thumbMediaId() { return thumbMediaId; }
    public Double locationX() { return locationX; }
    public Double locationY() { return locationY; }
    public Integer scale() { return scale; }
    public String label() { return label; }
    public String title() { return title; }
    public String description() { return description; }
    public String url() { return url; }
    public String event() { return event; }
    public String eventKey() { return eventKey; }
    public Double latitude() { return latitude; }
    public Double longitude() { return longitude; }
    public Double precision() { return precision; }
    public ScanCodeInfo scanCodeInfo() { return scanCodeInfo; }
    public SendPicsInfo sendPicsInfo() { return sendPicsInfo; }
    public SendLocationInfo sendLocationInfo() { return sendLocationInfo; }
    public BatchJob batchJob() { return batchJob; }
    public String changeType() { return changeType; }
    public String userId() { return userId; }
    public String newUserId() { return newUserId; }
    public String name() { return name; }
    /** Comma-separated department ids, as WeCom sends them. */
    public String department() { return department; }
    public String mobile() { return mobile; }
    public String email() { return email; }
    public String status() { return status; }
    public String id() { return id; }
    public String parentId() { return parentId; }
    public String tagId() { return tagId; }
    public String addUserItems() { return addUserItems; }
    public String delUserItems() { return delUserItems; }
    public String externalUserId() { return externalUserId; }
    public String state() { return state; }
    public String welcomeCode() { return welcomeCode; }
    public String chatId() { return chatId; }
    public String updateDetail() { return updateDetail; }
    public String tagType() { return tagType; }
    public String taskId() { return taskId; }
    public String cardType() { return cardType; }
    public String responseCode() { return responseCode; }
    public String suiteId() { return suiteId; }
    /** Set on third-party command callbacks (suite_ticket, create_auth, ...) instead of MsgType. */
    public String infoType() { return infoType; }
    public String suiteTicket() { return suiteTicket; }
    public String authCode() { return authCode; }
    public String authCorpId() { return authCorpId; }

    /** Elements of the message this model does not name, in document order. */
    public List<Element> otherElements() {
        return Collections.unmodifiableList(otherElements);
    }

    /** The text of an element this model does not name, or null. */
    public String otherElementText(String localName) {
        for (Element element : otherElements) {
            if (localName.equals(element.getLocalName()) || localName.equals(element.getTagName())) {
                return element.getTextContent();
            }
        }
        return null;
    }

    public boolean isEvent() {
        return MsgType.EVENT.equals(msgType);
    }

    @Override
    public String toString() {
        return "WeComMessage[msgType=" + msgType + (event == null ? "" : ", event=" + event)
                + (msgId == null ? "" : ", msgId=" + msgId) + "]";
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class ScanCodeInfo {
        @XmlElement(name = "ScanType") private String scanType;
        @XmlElement(name = "ScanResult") private String scanResult;

        public String scanType() { return scanType; }
        public String scanResult() { return scanResult; }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class SendPicsInfo {
        @XmlElement(name = "Count") private Integer count;
        @XmlElementWrapper(name = "PicList")
        @XmlElement(name = "item")
        private List<PicItem> picList = new ArrayList<>();

        public Integer count() { return count; }
        public List<PicItem> picList() { return Collections.unmodifiableList(picList); }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class PicItem {
        @XmlElement(name = "PicMd5Sum") private String picMd5Sum;

        public String picMd5Sum() { return picMd5Sum; }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class SendLocationInfo {
        @XmlElement(name = "Location_X") private Double locationX;
        @XmlElement(name = "Location_Y") private Double locationY;
        @XmlElement(name = "Scale") private Integer scale;
        @XmlElement(name = "Label") private String label;
        @XmlElement(name = "Poiname") private String poiname;

        public Double locationX() { return locationX; }
        public Double locationY() { return locationY; }
        public Integer scale() { return scale; }
        public String label() { return label; }
        public String poiname() { return poiname; }
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static final class BatchJob {
        @XmlElement(name = "JobId") private String jobId;
        @XmlElement(name = "JobType") private String jobType;
        @XmlElement(name = "ErrCode") private Integer errCode;
        @XmlElement(name = "ErrMsg") private String errMsg;

        public String jobId() { return jobId; }
        public String jobType() { return jobType; }
        public Integer errCode() { return errCode; }
        public String errMsg() { return errMsg; }
    }
}
