package greyrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import greyrelay.relay.config.RelayConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that works on the relay's state through {@link ControlApi}: the running relay's API, or, when none runs,
 * the same API served in this process on the database. A {@link ControlApi.Failure} is exit 1 (Main's handler).
 */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Override
    public final Integer call() throws Exception {
        RelayConfig c = config.load(((Main) spec.root().userObject()).env());
        try (ControlApi api = ControlApi.open(c)) {
            return run(api);
        }
    }

    abstract int run(ControlApi api) throws Exception;

    /** A usage error (exit 2) with this command's name. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code &name=value} when value is set. */
    static String param(String name, Object value) {
        return value == null ? "" : "&" + name + "=" + enc(String.valueOf(value));
    }

    static void printJson(JsonNode node) throws Exception {
        System.out.println(ControlApi.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "-" : n.asText();
    }
}
