package io.github.wecomcallback.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/** What the build ships: a WAR that runs as-is on a bare Tomcat, a classes jar, and a runnable simulator. */
class PackagingIT {
    private static final Path TARGET = Path.of("target");

    private static List<String> entries(String archive) throws Exception {
        try (ZipFile zip = new ZipFile(TARGET.resolve(archive).toFile())) {
            return zip.stream().map(e -> e.getName()).toList();
        }
    }

    @Test
    void war_bundlesJaxbAndTheRedisClient_butNotTheServletApiOrPicocli() throws Exception {
        List<String> war = entries("wecom-callback.war");
        for (String jar : new String[] {"jaxb-runtime-", "jakarta.xml.bind-api-", "jedis-", "commons-pool2-"}) {
            assertTrue(war.stream().anyMatch(e -> e.startsWith("WEB-INF/lib/" + jar)), jar + " missing: " + war);
        }
        for (String jar : new String[] {"jakarta.servlet-api-", "picocli-", "weixin-java", "junit", "caffeine-"}) {
            assertFalse(war.stream().anyMatch(e -> e.startsWith("WEB-INF/lib/" + jar)), jar + " must not ship");
        }
        assertTrue(war.contains("WEB-INF/classes/io/github/wecomcallback/servlet/WeComCallbackFilter.class"));
        assertTrue(war.contains("WEB-INF/classes/io/github/wecomcallback/gateway/ForwardServlet.class"));
        assertTrue(war.contains("WEB-INF/web.xml"));
        assertTrue(war.stream().anyMatch(e -> e.startsWith("WEB-INF/lib/slf4j-jdk14-")), "slf4j-jdk14 missing: " + war);
        assertFalse(war.stream().anyMatch(e -> e.startsWith("WEB-INF/classes/io/github/wecomcallback/tool/")),
                "the simulator is not part of the WAR");
    }

    @Test
    void javaxWar_isTheSameWar_withAServlet4Descriptor() throws Exception {
        assertEquals(entries("wecom-callback.war"), entries("wecom-callback-javax.war"));
        try (ZipFile zip = new ZipFile(TARGET.resolve("wecom-callback-javax.war").toFile())) {
            String webXml = new String(zip.getInputStream(zip.getEntry("WEB-INF/web.xml")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(webXml.contains("xmlns=\"http://xmlns.jcp.org/xml/ns/javaee\"") && webXml.contains(
                    "version=\"4.0\"") && !webXml.contains("jakartaee"), webXml);
            byte[] filter = zip.getInputStream(zip.getEntry(
                    "WEB-INF/classes/io/github/wecomcallback/servlet/WeComCallbackFilter.class")).readAllBytes();
            String constants = new String(filter, StandardCharsets.ISO_8859_1);
            assertTrue(constants.contains("javax/servlet/Filter") && !constants.contains("jakarta/servlet"));
        }
    }

    /** The packages each artifact holds, from its class entries. */
    private static java.util.Set<String> packages(String archive, String prefix) throws Exception {
        java.util.Set<String> packages = new java.util.TreeSet<>();
        for (String entry : entries(archive)) {
            if (entry.startsWith(prefix + "io/github/wecomcallback/") && entry.endsWith(".class")) {
                String path = entry.substring(prefix.length() + "io/github/wecomcallback/".length());
                packages.add(path.substring(0, path.indexOf('/')));
            }
        }
        return packages;
    }

    @Test
    void eachArtifact_holdsWhatItNeeds_andNothingElse() throws Exception {
        java.util.Set<String> library = java.util.Set.of("crypto", "dedup", "demo", "gateway", "message", "servlet");
        assertEquals(library, packages("wecom-callback-classes.jar", ""));
        assertEquals(library, packages("wecom-callback-javax.jar", ""));
        assertEquals(library, packages("wecom-callback.war", "WEB-INF/classes/"));
        assertEquals(library, packages("wecom-callback-javax.war", "WEB-INF/classes/"));
        assertEquals(java.util.Set.of("crypto", "message", "tool"), packages("wecom-callback-tool.jar", ""));
        List<String> tool = entries("wecom-callback-tool.jar");
        assertEquals(java.util.Set.of("Escaping", "ReplyEnvelope", "SafeXml", "SafeXml$Guarded", "JsonEnvelopeReader",
                "JsonEnvelopeReader$Member", "MessageFormatException"), tool.stream()
                .filter(e -> e.startsWith("io/github/wecomcallback/message/") && e.endsWith(".class"))
                .map(e -> e.substring("io/github/wecomcallback/message/".length(), e.length() - ".class".length()))
                .collect(java.util.stream.Collectors.toSet()),
                "of the model, the simulator needs what writes messages and reads reply envelopes: no JAXB");
        assertTrue(tool.stream().anyMatch(e -> e.startsWith("picocli/")));
        assertFalse(tool.stream().anyMatch(e -> e.startsWith("jakarta/") || e.startsWith("redis/")), "self-contained");
    }

    @Test
    void toolJar_runsWithJavaDashJar() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                TARGET.resolve("wecom-callback-tool.jar").toString(), "--help").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("verify-url") && out.contains("send") && out.contains("keygen")
                && out.contains("decrypt"), out);
    }
}
