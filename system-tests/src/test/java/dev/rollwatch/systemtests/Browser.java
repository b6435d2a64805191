package dev.rollwatch.systemtests;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A real browser for the console tests: Debian's headless Chromium ({@value #CHROMIUM}) driven through Debian's
 * chromedriver ({@value #CHROMEDRIVER}) by Selenium WebDriver. Both are given by path, so Selenium Manager never
 * looks for (or downloads) a browser or a driver; the network stays closed to the browser too (no sync, no
 * component updates, a fresh profile per browser). Remembers every URL the browser was at and what its console
 * logged, for the tests to check.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;
    private final List<String> visited = new ArrayList<>();
    private final List<LogEntry> console = new ArrayList<>();

    private Browser(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /** A headless Chromium whose viewport is {@code width}×{@code height} CSS pixels; screenshots go to {@code screenshots}. */
    static Browser open(int width, int height, Path screenshots) throws IOException {
        for (String binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(binary + " is missing: the console's browser test needs Debian's "
                        + "chromium and chromium-driver packages; ./rollwatch test installs them "
                        + "(or: apt-get install chromium chromium-driver)");
            }
        }
        Path profile = Files.createTempDirectory("rollwatch-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        Browser browser = new Browser(driver, profile, screenshots);
        browser.viewport(width, height, false);
        return browser;
    }

    /**
     * Sets the page's viewport to exactly {@code width}×{@code height} CSS pixels at device scale 1 (the headless
     * window's size is not the viewport's to the pixel); {@code phone} also emulates a touch phone's viewport.
     */
    void viewport(int width, int height, boolean phone) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", phone));
    }

    /** Loads {@code url} and remembers where the browser ended up. */
    void go(String url) {
        driver.get(url);
        visited();
    }

    /** The browser's current URL, remembered among those it visited. */
    String visited() {
        String url = driver.getCurrentUrl();
        if (visited.isEmpty() || !visited.get(visited.size() - 1).equals(url)) {
            visited.add(url);
        }
        return url;
    }

    /** Every URL the browser was at (as seen after each navigation, click and wait of the test). */
    List<String> urls() {
        visited();
        return List.copyOf(visited);
    }

    /** Clicks the element (as a user would: visible and enabled) and remembers where the browser is then. */
    void click(By by, Duration timeout) {
        WebElement e = await(timeout, "clickable " + by, d -> {
            WebElement found = first(by);
            return found != null && found.isDisplayed() && found.isEnabled() ? found : null;
        });
        e.click();
        visited();
    }

    /** Waits until {@code condition} answers non-null (or true) and returns that. */
    <T> T await(Duration timeout, String what, ExpectedCondition<T> condition) {
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(200)).withMessage(what)
                    .ignoring(StaleElementReferenceException.class).until(condition);
        } finally {
            visited();
        }
    }

    /** Waits until an element matches {@code by} and is displayed; returns it. */
    WebElement awaitVisible(By by, Duration timeout) {
        return await(timeout, "a visible " + by, d -> {
            WebElement found = first(by);
            return found != null && found.isDisplayed() ? found : null;
        });
    }

    /** The first element matching, or null. */
    WebElement first(By by) {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The trimmed text of the first element matching (read afresh: live pages re-render), or null if none. */
    String text(By by) {
        for (int attempt = 0; ; attempt++) {
            try {
                WebElement e = first(by);
                return e == null ? null : e.getText().trim();
            } catch (StaleElementReferenceException rerendered) {
                if (attempt == 5) {
                    throw rerendered;
                }
            }
        }
    }

    /** An attribute of the first element matching (read afresh), or null if no element or no attribute. */
    String attribute(By by, String name) {
        for (int attempt = 0; ; attempt++) {
            try {
                WebElement e = first(by);
                return e == null ? null : e.getDomAttribute(name);
            } catch (StaleElementReferenceException rerendered) {
                if (attempt == 5) {
                    throw rerendered;
                }
            }
        }
    }

    List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Writes the viewport as {@code <screenshots>/<name>.png}; returns the file. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(screenshots);
        Path file = screenshots.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** Everything the page logged to the browser console so far (kept across calls). */
    List<LogEntry> consoleLog() {
        console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        return List.copyOf(console);
    }

    /** The console messages of level SEVERE (errors: failed requests, uncaught exceptions, CSP violations). */
    List<String> severe() {
        return consoleLog().stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory
            }
        }
    }
}
