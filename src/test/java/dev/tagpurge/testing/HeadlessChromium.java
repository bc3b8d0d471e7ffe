package dev.tagpurge.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven by Debian's chromedriver through Selenium: a real browser for
 * the pages the service serves. Nothing is downloaded: both binaries come from the {@code chromium}
 * and {@code chromium-driver} packages ({@code .ci/run} installs them when missing). Where they are
 * absent the browser tests are skipped, unless the environment variable {@value #REQUIRE_VARIABLE}
 * is {@code true} ({@code .ci/run} sets it), in which case they fail.
 *
 * <p>Screenshots go to {@code target/screenshots/}. {@link #close()} quits the browser and stops
 * the driver process this class started.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Environment variable: fail instead of skipping when Chromium or chromedriver is missing. */
    public static final String REQUIRE_VARIABLE = "TAGPURGE_REQUIRE_BROWSER";

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    /** Starts a browser with a new, empty profile; skips (or fails in CI) without Chromium. */
    public static HeadlessChromium start() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            String missing =
                    "Debian's chromium and chromium-driver are not installed (sudo apt-get install"
                            + " -y chromium chromium-driver)";
            if (Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE))) {
                throw new IllegalStateException(missing);
            }
            Assumptions.abort(missing + "; browser test skipped");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("tagpurge-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile())
                        .usingAnyFreePort()
                        .withLogFile(new File("target/chromedriver.log"))
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The machine's network is closed: without the background-networking switches Chromium
        // keeps trying Google's hosts at start. --no-sandbox because CI runs as root.
        options.addArguments(
                List.of(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1280,1000",
                        "--user-data-dir=" + profile));
        try {
            return new HeadlessChromium(service, new ChromeDriver(service, options), profile);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
    }

    /** The Selenium driver. */
    public WebDriver driver() {
        return driver;
    }

    /** A wait on this browser, polling every 100 ms until {@code timeout}. */
    public WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout);
        wait.pollingEvery(Duration.ofMillis(100));
        // pages re-render what they poll: an element read between two renders is retried
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /**
     * Saves what the browser shows as {@code target/screenshots/<name>.png} and returns its path.
     */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Path taken = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.move(taken, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Quits the browser, stops the driver process and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a profile left in /tmp is harmless
        }
    }
}
