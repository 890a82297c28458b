package io.github.wecomcallback.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.demo.EchoServlet;
import io.github.wecomcallback.servlet.WeComCallbackFilter;
import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.SetA;

/** The simulator passes a correct deployment and names each classic mistake of a broken one. */
class WeComToolTest {
    private static final String[] CREDENTIALS = {"--token", SetA.TOKEN, "--encoding-aes-key", SetA.ENCODING_AES_KEY,
        "--corp-id", SetA.CORP_ID};

    private static BrokenEndpoints zoo;
    private static EmbeddedTomcat tomcat;

    @BeforeAll
    static void start() throws Exception {
        zoo = new BrokenEndpoints();
        tomcat = new EmbeddedTomcat()
                .filter("wecom", new WeComCallbackFilter(), SetA.initParams(), "/callback")
                .servlet("demo", new EchoServlet(), "/callback")
                .filter("bot", new WeComCallbackFilter(), SetA.initParams("receiveId", ""), "/bot")
                .servlet("bot", new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void doPost(jakarta.servlet.http.HttpServletRequest request,
                            jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
                        String question = new String(request.getInputStream().readAllBytes(),
                                java.nio.charset.StandardCharsets.UTF_8);
                        response.getWriter().write("{\"msgtype\":\"text\",\"text\":{\"content\":\"got "
                                + question.length() + " chars\"}}");
                    }
                }, "/bot")
                // A provider's command URL: events for the suite id, acknowledged with success.
                .filter("command", new WeComCallbackFilter(), SetA.initParams("receiveId", "wwsuite0001"), "/command")
                .servlet("command", new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void doPost(jakarta.servlet.http.HttpServletRequest request,
                            jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException {
                        response.getWriter().write("success");
                    }
                }, "/command")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        zoo.close();
        tomcat.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run tool(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WeComTool.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run verifyUrl(String url, String... extra) {
        List<String> args = new ArrayList<>(List.of("verify-url", url));
        args.addAll(List.of(CREDENTIALS));
        args.addAll(List.of(extra));
        return tool(args.toArray(String[]::new));
    }

    private static void assertRefused(Run run, String... mistakes) {
        assertEquals(1, run.exit(), run.out());
        for (String mistake : mistakes) {
            assertTrue(run.out().contains(mistake), "expected [" + mistake + "] in:\n" + run.out());
        }
    }

    @Test
    void verifyUrl_ourFilterInTomcat_isAccepted() {
        Run run = verifyUrl("http://127.0.0.1:" + tomcat.port() + "/callback");
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("OK: WeCom would accept this URL"), run.out());
        assertTrue(run.out().contains("%2B") && run.out().contains("%2F") && run.out().contains("%3D"),
                "the echostr must exercise +, / and =: " + run.out());
    }

    @Test
    void verifyUrl_correctForeignEndpoint_isAccepted() {
        assertEquals(0, verifyUrl(zoo.url("/correct").toString()).exit());
    }

    @Test
    void verifyUrl_bom_isNamed() {
        assertRefused(verifyUrl(zoo.url("/bom").toString()), "FAIL: the answer starts with a UTF-8 BOM",
                UrlCheck.CONSOLE_ECHOSTR_FAILED);
    }

    @Test
    void verifyUrl_trailingNewline_isNamed() {
        assertRefused(verifyUrl(zoo.url("/newline").toString()), "FAIL: the answer ends with a newline (\\n)");
    }

    @Test
    void verifyUrl_crlf_isNamed() {
        assertRefused(verifyUrl(zoo.url("/crlf").toString()), "FAIL: the answer ends with a CRLF newline");
    }

    @Test
    void verifyUrl_jsonObject_isNamed() {
        assertRefused(verifyUrl(zoo.url("/json-object").toString()),
                "contains the decrypted echostr but also other characters");
    }

    @Test
    void verifyUrl_receiveIdLeftOn_isNamed() {
        assertRefused(verifyUrl(zoo.url("/with-receive-id").toString()),
                "the receive id [" + SetA.CORP_ID + "] after it (the whole decrypted buffer was answered");
    }

    @Test
    void verifyUrl_paddingLeftOn_isNamed() {
        assertRefused(verifyUrl(zoo.url("/with-padding").toString()), "PKCS#7 padding bytes after it");
    }

    @Test
    void verifyUrl_emptyAnswer_isNamed() {
        assertRefused(verifyUrl(zoo.url("/empty").toString()), "FAIL: the answer is empty");
    }

    @Test
    void verifyUrl_jsonQuoted_isNamed() {
        assertRefused(verifyUrl(zoo.url("/quoted").toString()), "FAIL: the answer is in JSON quotes");
    }

    @Test
    void verifyUrl_pythonBytes_isNamed() {
        assertRefused(verifyUrl(zoo.url("/python-bytes").toString()), "FAIL: the answer is a Python bytes literal");
    }

    @Test
    void verifyUrl_redirect_isNamed() {
        assertRefused(verifyUrl(zoo.url("/redirect").toString()),
                "FAIL: status 302 redirect to https://example.invalid/callback", UrlCheck.CONSOLE_URL_FAILED);
    }

    @Test
    void verifyUrl_404HtmlPage_isNamed() {
        assertRefused(verifyUrl(zoo.url("/notfound").toString()), "FAIL: status 404 (not found", "an HTML page");
    }

    @Test
    void verifyUrl_slowAnswer_isNamed() {
        assertRefused(verifyUrl(zoo.url("/slow").toString()), "FAIL: answered after 1.5 s; WeCom waits at most 1 s");
    }

    @Test
    void verifyUrl_echostrAnsweredUndecrypted_isNamed() {
        assertRefused(verifyUrl(zoo.url("/echostr-itself").toString()), "is not the decrypted echostr");
    }

    @Test
    void verifyUrl_wrongKeyAgainstOurFilter_isRefusedWithTheCode() {
        Run run = tool("verify-url", "http://127.0.0.1:" + tomcat.port() + "/callback", "--token", SetA.TOKEN,
                "--encoding-aes-key", SetA.KAT_KEY, "--corp-id", SetA.CORP_ID);
        assertRefused(run, "FAIL: status 400, body [-40008]");
    }

    @Test
    void verifyUrl_nothingListening_isNamed() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertRefused(verifyUrl("http://127.0.0.1:" + port + "/callback"), "cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void send_text_printsTheDecryptedVerifiedEcho() {
        List<String> args = new ArrayList<>(List.of("send", "http://127.0.0.1:" + tomcat.port() + "/callback"));
        args.addAll(List.of(CREDENTIALS));
        args.addAll(List.of("--text", "你好 ]]> <&>"));
        Run run = tool(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("answer: 200 encrypted reply, verified"), run.out());
        assertTrue(run.out().contains("<Content><![CDATA[echo: 你好 ]]]]><![CDATA[> <&>]]></Content>"), run.out());
    }

    @Test
    void providerCommandUrl_verifyUrlWithTheProvidersCorpId_andASuiteEventForTheSuiteId(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        String url = "http://127.0.0.1:" + tomcat.port() + "/command";
        Run check = verifyUrl(url);
        assertEquals(0, check.exit(), check.out());
        java.nio.file.Path ticket = dir.resolve("suite_ticket.xml");
        java.nio.file.Files.writeString(ticket, "<xml><SuiteId><![CDATA[wwsuite0001]]></SuiteId><InfoType>"
                + "<![CDATA[suite_ticket]]></InfoType><TimeStamp>1700000000</TimeStamp><SuiteTicket><![CDATA[t"
                + System.nanoTime() + "]]></SuiteTicket></xml>");
        List<String> args = new ArrayList<>(List.of("send", url));
        args.addAll(List.of(CREDENTIALS));
        args.addAll(List.of("--receive-id", "wwsuite0001", "--file", ticket.toString()));
        Run run = tool(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("answer: 200 success (as is: how command callbacks are acknowledged)"), run.out());
        args.set(args.indexOf("wwsuite0001"), "ww_someone_else");
        Run foreign = tool(args.toArray(String[]::new));
        assertEquals(1, foreign.exit(), foreign.out());
        assertTrue(foreign.out().contains("status 403 [-40005]"), foreign.out());
    }

    @Test
    void send_repeated_printsSummaryAndPercentiles() {
        List<String> args = new ArrayList<>(List.of("send", "http://127.0.0.1:" + tomcat.port() + "/callback"));
        args.addAll(List.of(CREDENTIALS));
        args.addAll(List.of("--event", "subscribe", "--repeat", "30", "--concurrency", "3"));
        Run run = tool(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("sent 30 copies of one delivery"), run.out());
        assertTrue(run.out().contains("30 x 200 empty (no reply)"), run.out());
        assertTrue(run.out().contains("latency ms: p50 "), run.out());
    }

    @Test
    void send_bot_postsJsonAndVerifiesTheJsonReply() {
        Run run = tool("send", "http://127.0.0.1:" + tomcat.port() + "/bot", "--token", SetA.TOKEN,
                "--encoding-aes-key", SetA.ENCODING_AES_KEY, "--corp-id", SetA.CORP_ID, "--receive-id", "",
                "--bot", "--text", "你好");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("\"msgtype\":\"text\",\"text\":{\"content\":\"你好\"}"), run.out());
        assertTrue(run.out().matches("(?s).*\\{\"msgtype\":\"text\",\"text\":\\{\"content\":\"got \\d+ chars\"}}.*"),
                run.out());
    }

    @Test
    void send_file_postsItAsIs() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("msg", ".xml");
        java.nio.file.Files.writeString(file, SetA.POST_PLAINTEXT.replace("hello", "from a file"));
        List<String> args = new ArrayList<>(List.of("send", "http://127.0.0.1:" + tomcat.port() + "/callback"));
        args.addAll(List.of(CREDENTIALS));
        args.addAll(List.of("--file", file.toString()));
        Run run = tool(args.toArray(String[]::new));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("<Content><![CDATA[echo: from a file]]></Content>"), run.out());
    }

    @Test
    void send_toAPlaintextEndpoint_failsNamingIt() {
        List<String> args = new ArrayList<>(List.of("send", zoo.url("/notfound").toString()));
        args.addAll(List.of(CREDENTIALS));
        args.addAll(List.of("--text", "x"));
        Run run = tool(args.toArray(String[]::new));
        assertEquals(1, run.exit());
        assertTrue(run.out().contains("FAILED: status 404"), run.out());
    }

    @Test
    void decrypt_officialCallbackUrl_showsPlaintextAndChecksSignature() {
        Run run = tool("decrypt", "--encoding-aes-key", SetA.ENCODING_AES_KEY, "--token", SetA.TOKEN, "--corp-id",
                SetA.CORP_ID, "https://x.example/callback?msg_signature=" + SetA.GET_MSG_SIGNATURE + "&timestamp="
                        + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + SetA.GET_ECHOSTR_ON_THE_WIRE);
        assertEquals(0, run.exit(), run.out());
        assertTrue(run.out().contains("signature: OK"));
        assertTrue(run.out().contains("receive id: [" + SetA.CORP_ID + "]"));
        assertTrue(run.out().contains("\n" + SetA.GET_PLAINTEXT + "\n"), run.out());
    }

    @Test
    void decrypt_wrongKey_saysSo() {
        Run run = tool("decrypt", "--encoding-aes-key", SetA.KAT_KEY, SetA.POST_ENCRYPT);
        assertEquals(1, run.exit());
        assertTrue(run.out().contains("decryption FAILED: -40008"), run.out());
    }

    @Test
    void keygen_printsCredentialsTheFilterAccepts() throws Exception {
        Run run = tool("keygen");
        assertEquals(0, run.exit());
        String token = run.out().replaceAll("(?s).*Token=(\\w+).*", "$1");
        String key = run.out().replaceAll("(?s).*EncodingAESKey=(\\w+).*", "$1");
        assertEquals(32, token.length());
        assertEquals(43, key.length());
        io.github.wecomcallback.crypto.WeComCrypto.builder(token, key, "ww1").build();
    }

    @Test
    void missingCredentials_isAUsageError() {
        Run run = tool("verify-url", "http://127.0.0.1:1/callback");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("Missing required options"), run.err());
    }
}
