package greyrelay.relay.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import greyrelay.relay.config.LoggingConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogSetupTest {
    final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    final Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void restore() {
        LogSetup.apply(new LoggingConfig(LoggingConfig.Level.INFO, LoggingConfig.Format.TEXT));
        console().setOutputStream(System.out);
    }

    @Test
    void json_lines_carry_the_fields_of_the_text_line_and_escape_quotes_and_control_characters() throws Exception {
        LoggingEvent e = new LoggingEvent("x", context.getLogger("greyrelay.relay.smtp.ConnectGate"), Level.INFO,
                "helo {} said \"hi\"", null, new Object[] {"evil\u0007name"});
        e.setMDCPropertyMap(Map.of("session", "0MWZ1WNF1TGO8KA"));
        e.setTimeStamp(1_765_000_000_000L);
        String text = new String(new JsonLineEncoder().encode(e), StandardCharsets.UTF_8);
        assertThat(text).endsWith("}\n").hasLineCount(1).doesNotContain("\u0007");
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("session").asText()).isEqualTo("0MWZ1WNF1TGO8KA");
        assertThat(json.get("logger").asText()).isEqualTo("ConnectGate");
        assertThat(json.get("message").asText()).isEqualTo("helo evil\u0007name said \"hi\"");
        assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)");
        assertThat(json.has("queue")).isFalse();
    }

    @Test
    void the_console_appender_switches_to_json_and_back_and_the_level_follows() {
        LogSetup.apply(new LoggingConfig(LoggingConfig.Level.DEBUG, LoggingConfig.Format.JSON));
        assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        OutputStreamAppender<ILoggingEvent> console = console();
        assertThat(console.getEncoder()).isInstanceOf(JsonLineEncoder.class);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        console.setOutputStream(out);
        LoggerFactory.getLogger("greyrelay.relay.Relay").info("greyrelay {} ready", "test");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"time\":").contains("\"message\":\"greyrelay test ready\"");

        LogSetup.apply(new LoggingConfig(LoggingConfig.Level.WARN, LoggingConfig.Format.TEXT));
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(console().getEncoder()).isNotInstanceOf(JsonLineEncoder.class);
    }

    @SuppressWarnings("unchecked")
    private OutputStreamAppender<ILoggingEvent> console() {
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<?> a) return (OutputStreamAppender<ILoggingEvent>) a;
        }
        throw new AssertionError("no console appender on the root logger");
    }
}
