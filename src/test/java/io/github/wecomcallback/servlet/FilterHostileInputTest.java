package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import io.github.wecomcallback.testing.SetA;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;

/** Whatever arrives, the filter answers with a refusal status and an official code, and never runs the application. */
class FilterHostileInputTest {
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 405, 413);
    private final WeComCallbackFilter filter = newFilter();
    private final AtomicInteger applicationRuns = new AtomicInteger();
    private final FilterChain chain = (request, response) -> applicationRuns.incrementAndGet();

    private static WeComCallbackFilter newFilter() {
        WeComCallbackFilter filter = new WeComCallbackFilter();
        try {
            filter.init(Fakes.filterConfig("hostile", SetA.initParams("maxBodyBytes", "65536"), Map.of()));
        } catch (ServletException e) {
            throw new AssertionError(e);
        }
        return filter;
    }

    @Property(tries = 1500)
    void anyRequest_isRefusedWithAnOfficialCode(@ForAll("methods") String method, @ForAll("queries") String query,
            @ForAll("bodies") String body) throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter.doFilter(Fakes.request(method, query, body.getBytes(UTF_8)), response.servlet, chain);
        assertTrue(REFUSALS.contains(response.status), "status " + response.status);
        assertTrue(response.body.toString(UTF_8).matches("-400(0[1-9]|1[01])"), response.body.toString(UTF_8));
        assertEquals(0, applicationRuns.get());
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "HEAD", "OPTIONS", "get", "PROPFIND");
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60),
                Arbitraries.strings().withChars("0123456789abcdef%+/=&").ofMaxLength(60),
                Arbitraries.of(SetA.GET_MSG_SIGNATURE, SetA.POST_MSG_SIGNATURE, SetA.GET_ECHOSTR_ON_THE_WIRE,
                        SetA.POST_TIMESTAMP, "", "%", "%zz", "%E4%BD", "99999999999999999999999"));
        Arbitrary<String> name = Arbitraries.of("msg_signature", "timestamp", "nonce", "echostr", "signature", "x");
        return Arbitraries.oneOf(Arbitraries.just(null), Arbitraries.strings().ofMaxLength(100),
                net.jqwik.api.Combinators.combine(name.list().ofMinSize(1).ofMaxSize(5), value.list().ofSize(5))
                        .as((names, values) -> {
                            StringBuilder q = new StringBuilder();
                            for (int i = 0; i < names.size(); i++) {
                                q.append(i == 0 ? "" : "&").append(names.get(i)).append('=').append(values.get(i));
                            }
                            return q.toString();
                        }));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.of("", SetA.POST_BODY, SetA.POST_BODY.replace("Ryp", "Ryq"), "<xml><Encrypt/></xml>",
                        "{\"encrypt\":\"" + SetA.POST_ENCRYPT + "\"}", "<!DOCTYPE x [<!ENTITY a \"b\">]><xml>&a;</xml>",
                        "{\"encrypt\":" + "[".repeat(5000) + "}", "<xml>" + "<a>".repeat(5000) + "</xml>"));
    }
}
