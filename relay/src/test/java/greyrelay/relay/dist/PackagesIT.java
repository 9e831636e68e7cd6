package greyrelay.relay.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball and the .deb that {@code ./mvnw package} builds, opened as an operator would: listed, unpacked, the
 * launcher run, the shipped configuration loaded, the maintainer scripts run into a scratch root. Runs after
 * {@code package} (failsafe), on the files in {@code relay/target}.
 */
class PackagesIT {
    static final String VERSION = System.getProperty("project.version", "0.1.0");
    static final Path TARGET = Path.of("target");
    static final Path TARBALL = TARGET.resolve("greyrelay-" + VERSION + ".tar.gz");
    static final Path DEB = TARGET.resolve("greyrelay_" + VERSION + "_all.deb");

    @TempDir
    Path tmp;

    @Test
    void tarball_holds_launcher_jar_libraries_commented_config_unit_and_readme() throws Exception {
        List<String> listing = run(null, Map.of(), "tar", "tzvf", TARBALL.toString()).lines();
        String top = "greyrelay-" + VERSION + "/";
        assertThat(listing).anySatisfy(l -> assertThat(l).startsWith("-rwxr-xr-x").endsWith(top + "bin/greyrelay"));
        assertThat(names(listing)).contains(top + "greyrelay.jar", top + "conf/greyrelay.yaml",
                top + "systemd/greyrelay.service", top + "README");
        assertThat(names(listing)).anySatisfy(n -> assertThat(n).matches(".*/lib/picocli-.*\\.jar"));

        run(null, Map.of(), "tar", "xzf", TARBALL.toAbsolutePath().toString(), "-C", tmp.toString());
        Path home = tmp.resolve("greyrelay-" + VERSION);
        Result version = run(home, javaEnv(), "bin/greyrelay", "--version");
        assertThat(version.code).as(version.out).isZero();
        assertThat(version.out).contains("greyrelay");

        // the shipped configuration is valid as it stands and means exactly the defaults
        Result config = run(home, javaEnv(), "bin/greyrelay", "config", "--config", "conf/greyrelay.yaml");
        assertThat(config.code).as(config.out).isZero();
        assertThat(config.out).contains("# differs from the defaults (0):");
        String yaml = Files.readString(home.resolve("conf/greyrelay.yaml"));
        Result keys = run(home, javaEnv(), "bin/greyrelay", "config", "--keys");
        for (String line : keys.lines().subList(1, keys.lines().size())) {
            String key = line.split("\t")[0];
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertThat(yaml).as("conf/greyrelay.yaml shows %s", key).containsPattern("(?m)^ *# " + leaf + ":");
        }
        assertThat(yaml).contains("# relayDomains: []", "# port: 2525");

        String unit = Files.readString(home.resolve("systemd/greyrelay.service"));
        assertThat(unit).contains("User=greyrelay", "AmbientCapabilities=CAP_NET_BIND_SERVICE", "SuccessExitStatus=143",
                "NoNewPrivileges=yes", "ProtectSystem=strict", "ExecStart=/usr/bin/greyrelay run --config /etc/greyrelay/greyrelay.yaml");
    }

    @Test
    void deb_installs_into_a_scratch_root_with_user_data_dir_and_conffile() throws Exception {
        assumeTrue(onPath("dpkg-deb"), "dpkg-deb is not installed");
        Result fields = run(null, Map.of(), "dpkg-deb", "--field", DEB.toString());
        assertThat(fields.out).contains("Package: greyrelay", "Version: " + VERSION, "Architecture: all");

        Path control = tmp.resolve("control");
        run(null, Map.of(), "dpkg-deb", "--control", DEB.toString(), control.toString());
        assertThat(Files.readString(control.resolve("conffiles")).lines()).containsExactly("/etc/greyrelay/greyrelay.yaml");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(Files.getPosixFilePermissions(control.resolve(script))).contains(PosixFilePermission.OWNER_EXECUTE);
            assertThat(run(null, Map.of(), "sh", "-n", control.resolve(script).toString()).code).isZero();
        }

        Path root = tmp.resolve("root");
        run(null, Map.of(), "dpkg-deb", "--extract", DEB.toString(), root.toString());
        assertThat(root.resolve("usr/share/greyrelay/greyrelay.jar")).isRegularFile();
        assertThat(Files.readSymbolicLink(root.resolve("usr/bin/greyrelay")).toString()).isEqualTo("/usr/share/greyrelay/bin/greyrelay");
        assertThat(root.resolve("lib/systemd/system/greyrelay.service")).isRegularFile();
        assertThat(root.resolve("etc/greyrelay/greyrelay.yaml")).isRegularFile();
        Result version = run(null, javaEnv(), root.resolve("usr/share/greyrelay/bin/greyrelay").toString(), "--version");
        assertThat(version.code).as(version.out).isZero();

        // postinst against the scratch root, with the system commands it calls replaced by recorders
        Path bin = Files.createDirectories(tmp.resolve("shims"));
        Path calls = tmp.resolve("calls.log");
        for (String cmd : List.of("adduser", "useradd", "groupadd", "chown", "systemctl")) {
            shim(bin, cmd, "echo \"" + cmd + " $*\" >> " + calls + "\n");
        }
        shim(bin, "getent", "exit 2\n"); // no such user yet
        Map<String, String> env = Map.of("DPKG_ROOT", root.toString(), "PATH", bin + ":/usr/bin:/bin:/usr/sbin:/sbin");
        Result postinst = run(null, env, "sh", control.resolve("postinst").toString(), "configure");
        assertThat(postinst.code).as(postinst.out).isZero();
        assertThat(root.resolve("var/lib/greyrelay")).isDirectory();
        assertThat(Files.getPosixFilePermissions(root.resolve("var/lib/greyrelay")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(root.resolve("etc/greyrelay/greyrelay.yaml")))
                .doesNotContain(PosixFilePermission.OTHERS_READ);
        String log = Files.readString(calls);
        assertThat(log).contains("adduser --system --group --home /var/lib/greyrelay")
                .contains("chown greyrelay:greyrelay " + root.resolve("var/lib/greyrelay"))
                .doesNotContain("systemctl"); // a scratch root never touches the host's services

        // upgrade: the user exists, nothing is created twice
        shim(bin, "getent", "echo greyrelay:x:999:999::/var/lib/greyrelay:/usr/sbin/nologin\n");
        Files.delete(calls);
        assertThat(run(null, env, "sh", control.resolve("postinst").toString(), "configure").code).isZero();
        assertThat(Files.readString(calls)).doesNotContain("adduser", "useradd");

        // purge takes the configuration, never the data directory (the spool may hold accepted mail)
        assertThat(run(null, env, "sh", control.resolve("postrm").toString(), "purge").code).isZero();
        assertThat(root.resolve("etc/greyrelay/greyrelay.yaml")).doesNotExist();
        assertThat(root.resolve("var/lib/greyrelay")).isDirectory();
    }

    private static void shim(Path dir, String name, String body) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body);
        f.toFile().setExecutable(true);
    }

    private static List<String> names(List<String> tarListing) {
        List<String> out = new ArrayList<>();
        for (String l : tarListing) out.add(l.substring(l.lastIndexOf(' ') + 1));
        return out;
    }

    private static Map<String, String> javaEnv() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    private static boolean onPath(String cmd) {
        for (String d : System.getenv("PATH").split(":")) if (Files.isExecutable(Path.of(d, cmd))) return true;
        return false;
    }

    record Result(int code, String out) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private static Result run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("%s finished", List.of(cmd)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
