package greyrelay.relay.cli;

import greyrelay.relay.config.ConfigLoader;
import greyrelay.relay.config.RelayConfig;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --config FILE}, mixed into every command that reads the relay's configuration. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: none, or $GREYRELAY_CONFIG)")
    Path file;

    /** This file, else the one {@code $GREYRELAY_CONFIG} names, else defaults; then the {@code GREYRELAY_*} variables. */
    RelayConfig load(Map<String, String> env) {
        return ConfigLoader.fromEnvironment(file, env);
    }
}
