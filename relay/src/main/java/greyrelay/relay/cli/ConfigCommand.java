package greyrelay.relay.cli;

import greyrelay.relay.config.ConfigDump;
import greyrelay.relay.config.KeyDocs;
import greyrelay.relay.config.SampleConfig;
import greyrelay.relay.config.RelayConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code greyrelay config [--config FILE] [--keys] [--sample]}: the effective configuration, like {@code postconf -n} / {@code -d}. */
@Command(name = "config", description = "Print the effective configuration (secrets masked) and what differs from the defaults.")
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    ConfigOption config;

    @Option(names = "--keys", description = "List every key with its environment variable and default")
    boolean keys;

    @Option(names = "--sample", description = "Print a configuration file with every key commented out at its default, as the packages ship it")
    boolean sample;

    @Override
    public Integer call() {
        if (sample) {
            System.out.print(SampleConfig.yaml(KeyDocs.bundled()));
            return 0;
        }
        if (keys) {
            System.out.println("key\tenvironment variable\tdefault");
            ConfigDump.keyReference().forEach(System.out::println);
            return 0;
        }
        RelayConfig c = config.load(main.env());
        System.out.print(ConfigDump.effectiveYaml(c));
        List<String> changed = ConfigDump.nonDefaults(c);
        System.out.println();
        System.out.println("# differs from the defaults (" + changed.size() + "):");
        for (String line : changed) System.out.println("#   " + line);
        return 0;
    }
}
