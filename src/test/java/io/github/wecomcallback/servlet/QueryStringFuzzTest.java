package io.github.wecomcallback.servlet;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzz target for the query parser: the only failure is an {@link IllegalArgumentException}. */
class QueryStringFuzzTest {
    @FuzzTest(maxExecutions = 1_000_000)
    void parse(String query) {
        try {
            QueryString parsed = QueryString.parse(query);
            parsed.get(QueryString.MSG_SIGNATURE);
        } catch (IllegalArgumentException expected) {
            // malformed escapes and repeated protocol parameters are refused
        }
    }
}
