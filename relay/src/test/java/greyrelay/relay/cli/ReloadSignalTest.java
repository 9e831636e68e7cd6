package greyrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.misc.Signal;

class ReloadSignalTest {
    @TempDir
    Path dir;

    @Test
    void sighup_runs_the_reload_and_the_process_lives_on() throws Exception {
        CountDownLatch reloaded = new CountDownLatch(2);
        ReloadSignal.install(() -> {
            reloaded.countDown();
            if (reloaded.getCount() == 1) throw new IllegalStateException("a broken configuration is logged, not fatal");
        });
        Signal.raise(new Signal("HUP"));
        Thread.sleep(200); // two separate signals, not coalesced
        Signal.raise(new Signal("HUP"));
        assertThat(reloaded.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void the_pid_file_is_private_names_this_process_and_goes_at_stop() throws Exception {
        ReloadSignal.writePid(dir);
        assertThat(ReloadSignal.readPid(dir)).contains(ProcessHandle.current().pid());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ReloadSignal.pidFile(dir)))).isEqualTo("rw-------");
        ReloadSignal.removePid(dir);
        assertThat(ReloadSignal.pidFile(dir)).doesNotExist();
    }
}
