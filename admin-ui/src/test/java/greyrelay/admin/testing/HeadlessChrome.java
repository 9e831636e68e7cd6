package greyrelay.admin.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Selenium, for the panel's browser tests. The driver binary is named explicitly,
 * so Selenium Manager never runs (no download, no network). Without chromium and chromedriver the calling test is
 * skipped, unless {@code REQUIRE_BROWSER=1} (CI), where it fails; either way one line says so on the build's console
 * (a skip in {@code @BeforeAll} alone shows as "Tests run: 0" without a word). One browser per test class: start it in
 * {@code @BeforeAll}, close it in {@code @AfterAll}.
 */
public final class HeadlessChrome implements AutoCloseable {
    /** {@code -Dgreyrelay.chromium=…} / {@code -Dgreyrelay.chromedriver=…} name other binaries (or show what a machine without them prints). */
    public static final Path CHROMIUM = Path.of(System.getProperty("greyrelay.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("greyrelay.chromedriver", "/usr/bin/chromedriver"));

    public final WebDriver driver;
    private final Path screenshots;
    private final Path profile;

    private HeadlessChrome(WebDriver driver, Path screenshots, Path profile) {
        this.driver = driver;
        this.screenshots = screenshots;
        this.profile = profile;
    }

    /** @param screenshots where {@link #screenshot} writes, e.g. {@code target/screenshots} */
    public static HeadlessChrome start(Path screenshots) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "headless browser tests need " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)";
            String caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass().getSimpleName();
            if ("1".equals(System.getenv("REQUIRE_BROWSER"))) {
                sayOnConsole("[ERROR] BROWSER TESTS FAILED in " + caller + ": " + why + "; REQUIRE_BROWSER=1 requires them");
                Assertions.fail(why + "; REQUIRE_BROWSER=1 requires them");
            }
            sayOnConsole("[WARNING] BROWSER TESTS NOT RUN in " + caller + ": " + missing() + " missing; " + why
                    + " (REQUIRE_BROWSER=1 makes this a failure)");
            Assumptions.abort(why + "; skipped (REQUIRE_BROWSER=1 makes this a failure)");
        }
        try {
            Files.createDirectories(screenshots);
            Path profile = Files.createTempDirectory("greyrelay-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--disable-quic", "--window-size=1280,900", "--user-data-dir=" + profile);
            options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                    .usingAnyFreePort().build();
            return new HeadlessChrome(new ChromeDriver(service, options), screenshots, profile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the browser: " + e, e);
        }
    }

    private static String missing() {
        return java.util.stream.Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).map(Path::toString)
                .collect(java.util.stream.Collectors.joining(" and "));
    }

    /** The test JVM's own standard error: Surefire sends System.out/err of tests to files, this reaches the console. */
    private static final java.io.PrintStream CONSOLE = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err),
            true, java.nio.charset.StandardCharsets.UTF_8);

    static void sayOnConsole(String line) {
        CONSOLE.println(line);
        System.err.println(line);
    }

    public HeadlessChrome open(String url) {
        driver.get(url);
        return this;
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public <T> T waitFor(Function<WebDriver, T> condition) {
        // a page that navigates while the condition reads it leaves stale elements: read it again
        return new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    /** Runs a script in the page (test-side only: the page's CSP does not apply to WebDriver). */
    public Object script(String js) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(js);
    }

    /** Console messages since the last call (CSP violations appear here). */
    public List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /** Saves {@code <name>.png} of the current page, full window. */
    public Path screenshot(String name) {
        try {
            Path out = screenshots.resolve(name + ".png");
            Files.write(out, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot save a screenshot: " + e, e);
        }
    }

    public void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}
