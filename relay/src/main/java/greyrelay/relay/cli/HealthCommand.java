package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.relay.config.RelayConfig;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code greyrelay health [--live] [--json]}: the running relay's {@code /health/ready} (or {@code /health/live}) through
 * the control API, so it works whatever {@code admin.*} says, with the panel off too (the relay then serves the
 * token-only control listener on loopback). Exit 0 ready, 1 not ready or no relay answering: the container's
 * {@code HEALTHCHECK}.
 */
@Command(name = "health", description = {"Is the running relay ready (SMTP, database, spool, downstream)? Exit 0 yes, 1 no.",
        "Works with the panel off (admin.enabled: false) through the loopback control listener."})
final class HealthCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConfigOption config;

    @Option(names = "--live", description = "only whether the process is alive and not wedged (/health/live)")
    boolean live;

    @Option(names = "--json", description = "print the relay's answer as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RelayConfig c = config.load(main.env());
        Optional<ControlApi> running = ControlApi.running(c);
        if (running.isEmpty()) {
            System.out.println("not running: no relay answers on " + c.dataPath());
            return 1;
        }
        try (ControlApi api = running.get()) {
            HttpResponse<String> r = api.raw("GET", live ? "/health/live" : "/health/ready", null);
            JsonNode body = ControlApi.JSON.readTree(r.body());
            if (json) {
                System.out.println(ControlApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            } else {
                System.out.println((live ? "live: " : "ready: ") + body.path("status").asText() + " (greyrelay "
                        + body.path("version").asText() + ")");
                for (JsonNode check : body.path("checks")) {
                    System.out.printf("  %-4s %-10s %s%n", check.path("ok").asBoolean() ? "ok" : "FAIL", check.path("name").asText(),
                            check.path("detail").asText());
                }
            }
            return r.statusCode() == 200 ? 0 : 1;
        }
    }
}
