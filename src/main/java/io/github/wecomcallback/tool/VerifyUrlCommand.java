package io.github.wecomcallback.tool;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "verify-url", mixinStandardHelpOptions = true,
        description = {"Does what the WeCom console does on \"save\" (验证URL有效性) and judges the answer as WeCom does.",
            "Exit status 0 when WeCom would accept the URL, 1 otherwise; every mistake is named on its own line."})
final class VerifyUrlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "the callback URL, as entered in the console")
    URI url;

    @Mixin
    CredentialOptions credentials;

    @Mixin
    TrustOptions trust;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
            out.println("FAIL: the URL must start with http:// or https:// → " + UrlCheck.CONSOLE_URL_FAILED);
            return 1;
        }
        HttpClient client = trust.clientBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        UrlCheck.warmUp(client, trust.clientBuilder().connectTimeout(Duration.ofSeconds(5)).build(), url);
        UrlCheck.Verdict verdict = new UrlCheck(credentials.crypto(), credentials.encodingAesKey, client).check(url);
        out.println("GET " + verdict.request());
        verdict.notes().forEach(note -> out.println("  " + note));
        if (verdict.accepted()) {
            out.println("OK: WeCom would accept this URL (the answer is exactly the decrypted echostr, in time).");
            return 0;
        }
        verdict.failures().forEach(failure -> out.println("FAIL: " + failure));
        out.println("WeCom would refuse this URL (" + verdict.failures().size() + " problem"
                + (verdict.failures().size() == 1 ? "" : "s") + ").");
        return 1;
    }
}
