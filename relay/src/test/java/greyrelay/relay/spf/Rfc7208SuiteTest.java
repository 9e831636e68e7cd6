package greyrelay.relay.spf;

import static org.assertj.core.api.Assertions.assertThat;

import greyrelay.db.net.IpNetwork;
import greyrelay.relay.dns.DnsJavaResolver;
import greyrelay.relay.testing.FakeDnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The official RFC 7208 test suite (openspf.org 2014.04 + 2019 additions, from pyspf; BSD licence, see
 * {@code src/test/resources/spf/LICENCE-NOTE.txt}), every case through the real {@link FakeDnsServer} over UDP/TCP and
 * the real {@link DnsJavaResolver}. The zone data is served as pyspf's {@code testspf.py} serves it:
 * <ul>
 *   <li>an {@code SPF} entry is served as type 99 and also as TXT, unless the name has TXT entries of its own;</li>
 *   <li>{@code NONE} means no record; a list value is several character-strings of one record;</li>
 *   <li>{@code TIMEOUT}: queries for a type the name has no entry of before the marker really time out (short
 *       resolver timeout); entries after the marker, and the TXT copies of SPF entries, are not served;</li>
 *   <li>unknown names are NXDOMAIN; CNAMEs are chased by the fake like a recursive server. (pyspf's rule that unknown
 *       names starting {@code error.} time out is not needed: no case uses such a name.)</li>
 * </ul>
 * A case passes when the result is one of those the case accepts and, where it names one, the explanation matches;
 * the evaluator's default explanation is {@code DEFAULT}, as pyspf's driver sets it.
 */
class Rfc7208SuiteTest {
    private static final Logger log = LoggerFactory.getLogger(Rfc7208SuiteTest.class);
    private static final String SUITE = "/spf/rfc7208-tests.yml";
    private static final int SUITE_SIZE = 203;

    /** One case of the suite, with the zone of its scenario. */
    record Case(String scenario, String id, String host, String mailfrom, String helo, Set<String> results,
            String explanation, Map<String, List<Object>> zone) {}

    private static FakeDnsServer dns;
    private static SpfEvaluator evaluator;
    private static final AtomicInteger passed = new AtomicInteger();

    @BeforeAll
    static void start() {
        dns = FakeDnsServer.start();
        DnsJavaResolver resolver = new DnsJavaResolver(List.of(dns.address()), Duration.ofSeconds(1), 1);
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        evaluator = new SpfEvaluator(resolver, clock, new SpfEvaluator.Settings(Duration.ofSeconds(20), 2, "receiver.example.com",
                "DEFAULT"));
    }

    @AfterAll
    static void stop() {
        log.info("RFC 7208 test suite: {} of {} cases passed", passed.get(), SUITE_SIZE);
        dns.close();
    }

    @Test
    void the_suite_has_all_203_cases_in_16_scenarios() {
        List<Case> all = load();
        assertThat(all).hasSize(SUITE_SIZE);
        assertThat(all.stream().map(Case::scenario).distinct()).hasSize(16);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void case_of_the_rfc7208_suite(Case c) {
        dns.reset();
        serve(c.zone());
        InetAddress client = IpNetwork.literal(c.host());

        SpfEvaluation e = evaluator.evaluate(client, c.mailfrom(), c.helo());

        assertThat(e.result().token()).as("result of %s (%s)", c.id(), e.reason()).isIn(c.results());
        if (c.explanation() != null) {
            assertThat(e.explanation()).as("explanation of %s", c.id()).contains(c.explanation());
        }
        assertThat(dns.queries()).as("RFC 7208 §3.1: no queries for type SPF").noneMatch(q -> q.type().equals("SPF"));
        log.debug("case {} -> {} ({}) explanation={}", c.id(), e.result().token(), e.reason(), e.explanation().orElse("-"));
        passed.incrementAndGet();
    }

    static Stream<Named<Case>> cases() {
        return load().stream().map(c -> Named.of(c.id() + " (" + c.scenario() + ")", c));
    }

    /** Registers one scenario's zone data as pyspf's driver serves it. */
    private static void serve(Map<String, List<Object>> zone) {
        for (var entry : zone.entrySet()) {
            String name = entry.getKey();
            List<Object> records = entry.getValue();
            boolean ownTxt = records.stream().anyMatch(r -> r instanceof Map<?, ?> m && m.containsKey("TXT"));
            List<String[]> txtCopies = new ArrayList<>();
            boolean timeout = false;
            for (Object r : records) {
                if ("TIMEOUT".equals(r)) {
                    dns.timeoutOtherTypes(name);
                    timeout = true;
                    break;
                }
                for (var rr : ((Map<?, ?>) r).entrySet()) {
                    String type = (String) rr.getKey();
                    Object value = rr.getValue();
                    if ("NONE".equals(value)) continue;
                    switch (type) {
                        case "SPF" -> {
                            dns.spfType(name, strings(value));
                            if (!ownTxt) txtCopies.add(strings(value));
                        }
                        case "TXT" -> dns.txt(name, strings(value));
                        case "A" -> dns.a(name, value.toString());
                        case "AAAA" -> dns.aaaa(name, value.toString());
                        case "MX" -> {
                            List<?> mx = (List<?>) value;
                            String host = mx.get(1).toString();
                            if (host.isEmpty()) {
                                dns.nullMx(name);
                            } else {
                                dns.mx(name, ((Number) mx.get(0)).intValue(), host);
                            }
                        }
                        case "PTR" -> dns.ptrAt(name, value.toString());
                        case "CNAME" -> dns.cname(name, value.toString());
                        default -> throw new IllegalStateException("record type not in the suite's schema: " + type);
                    }
                }
            }
            if (!timeout) txtCopies.forEach(strings -> dns.txt(name, strings));
        }
    }

    private static String[] strings(Object value) {
        if (value instanceof List<?> list) return list.stream().map(Object::toString).toArray(String[]::new);
        return new String[] {value.toString()};
    }

    @SuppressWarnings("unchecked") // the suite's schema: maps of strings to lists
    static List<Case> load() {
        List<Case> out = new ArrayList<>();
        try (InputStream in = Rfc7208SuiteTest.class.getResourceAsStream(SUITE)) {
            if (in == null) throw new IllegalStateException(SUITE + " is not on the test classpath");
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            for (Object doc : yaml.loadAll(in)) {
                Map<String, Object> scenario = (Map<String, Object>) doc;
                String description = (String) scenario.get("description");
                Map<String, List<Object>> zone = (Map<String, List<Object>>) scenario.get("zonedata");
                for (var t : ((Map<String, Map<String, Object>>) scenario.get("tests")).entrySet()) {
                    Map<String, Object> test = t.getValue();
                    Object result = test.get("result");
                    Set<String> results = result instanceof List<?> l
                            ? Set.copyOf(l.stream().map(Object::toString).toList())
                            : Set.of(result.toString());
                    Object explanation = test.get("explanation");
                    out.add(new Case(description, t.getKey(), test.get("host").toString(), test.get("mailfrom").toString(),
                            test.get("helo").toString(), results, explanation == null ? null : explanation.toString(), zone));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
