package dev.tagpurge.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tagpurge.testing.HeadlessChromium;
import dev.tagpurge.testing.KafkaBrokerResource;
import dev.tagpurge.testing.RedisServerResource;
import dev.tagpurge.testing.SandboxResource;
import dev.tagpurge.testing.TestRunResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The ops page in a real browser (Debian's Chromium, headless) against the running service, a real
 * Keycloak, the real broker and Redis, and the CDN sandbox: an operator signs in, previews a tag
 * purge (Redis keys counted, requests per target), confirms it and watches every target reach
 * Completed (CloudFront's invalidation polled in the sandbox); the operator is refused
 * "everything"; an admin purges everything on one target after ticking the impact checklist and
 * typing the confirmation. The operator also tests a change event against the rules ("Test a
 * rule"). The form is driven with the keyboard. Screenshots of each step are saved under {@code
 * target/screenshots/}.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(RedisServerResource.class)
@WithTestResource(SandboxResource.class)
@WithTestResource(TestRunResource.class)
@WithTestResource(OperatorIssuerResource.class)
class OpsPageBrowserIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TestHTTPResource("/ops")
    URL page;

    @Inject RedisDataSource redis;

    @Test
    void anOperatorPurgesTagsAndAnAdminPurgesEverythingThroughThePage() {
        String tag = "multi-ops-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3; i++) {
            redis.value(String.class).set("page:" + tag + ":" + i, "<html>");
            redis.set(String.class).sadd("tagpurge:tag:" + tag, "page:" + tag + ":" + i);
        }
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            WebDriver driver = browser.driver();
            // 127.0.0.1, the address the dev realm's redirect URIs name
            driver.get(page.toString().replace("localhost", "127.0.0.1"));
            signIn(browser, "operator");
            assertThat(text(driver, "who")).contains("operator").contains("purge-operator");

            // the form, with the keyboard: the kind is Tags by default
            focus(driver, "values");
            type(driver, tag);
            focus(driver, "ticket");
            type(driver, "OPS-4711");
            focus(driver, "reason");
            type(driver, "stale prices after the import job");
            keys(driver, Keys.TAB, Keys.ENTER); // Preview
            browser.waitUpTo(PATIENCE)
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("preview")));
            String preview = text(driver, "preview");
            assertThat(rowOf(driver, "preview-rows", "cache")).contains("3 (");
            assertThat(preview).contains("cdn").contains("dist").contains("edge");
            assertThat(preview).contains("Rate-limit budget left");
            assertThat(rowOf(driver, "preview-rows", "edge"))
                    .as("Akamai's buckets and the wait for their tokens")
                    .contains("api-requests: ")
                    .contains("tokens left")
                    .containsAnyOf("none: tokens suffice now", "s before the first request");
            assertThat(rowOf(driver, "preview-rows", "cache")).contains("no rate limit");
            browser.screenshot("ops-1-operator-preview");

            WebElement purge = driver.findElement(By.id("purge-button"));
            assertThat(purge.isEnabled()).isTrue();
            purge.sendKeys(Keys.ENTER);
            browser.waitUpTo(PATIENCE)
                    .until(
                            d -> {
                                List<String> rows =
                                        d.findElement(By.id("status-rows"))
                                                .getText()
                                                .lines()
                                                .toList();
                                return !rows.isEmpty()
                                        && rows.stream()
                                                .allMatch(
                                                        r ->
                                                                r.contains("Completed")
                                                                        || r.contains("Skipped"));
                            });
            assertThat(rowOf(driver, "status-rows", "dist")).contains("Completed");
            assertThat(rowOf(driver, "status-rows", "cache")).contains("Completed");
            assertThat(rowOf(driver, "status-rows", "edge"))
                    .contains("accepted by akamai, ≈ 5 s to propagate");
            assertThat(text(driver, "status-summary")).contains("Completed");
            assertThat(redis.key(String.class).exists("page:" + tag + ":0")).isFalse();
            browser.screenshot("ops-2-operator-completed");

            // the operator tests a change event against the rules: nothing is purged
            focus(driver, "explain-event");
            type(
                    driver,
                    "{\"id\":\"page-test-1\",\"type\":\"product.updated\","
                            + "\"data\":{\"id\":\"77\",\"categoryIds\":[3]}}");
            driver.findElement(By.id("explain-button")).sendKeys(Keys.ENTER);
            browser.waitUpTo(PATIENCE)
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("explain-targets")));
            assertThat(text(driver, "explain-rules")).contains("Rule 0 (type product.*): matched");
            String cdn =
                    driver.findElement(By.cssSelector("#explain-targets li[data-target=cdn]"))
                            .getText();
            assertThat(cdn)
                    .contains("would purge")
                    .contains("tag product-77")
                    .contains("url www.example.com/products/77");
            assertThat(
                            driver.findElement(
                                            By.cssSelector(
                                                    "#explain-targets li[data-target=cache]"))
                                    .getText())
                    .contains("redis has no URL purge");
            browser.screenshot("ops-2b-operator-tests-a-rule");

            // an operator may not purge everything
            choose(driver, "everything");
            focus(driver, "targets");
            type(driver, "cdn");
            driver.findElement(By.id("preview-button")).sendKeys(Keys.ENTER);
            // the preview says why it would be refused, and offers no way to go on
            browser.waitUpTo(PATIENCE)
                    .until(
                            ExpectedConditions.textToBePresentInElementLocated(
                                    By.id("refusal"), "purge-admin"));
            assertThat(driver.findElement(By.id("purge-button")).isEnabled()).isFalse();
            browser.screenshot("ops-3-operator-refused-everything");

            // an admin purges everything on the Fastly target after the checklist and confirmation
            driver.findElement(By.id("sign-out")).sendKeys(Keys.ENTER);
            browser.waitUpTo(PATIENCE).until(d -> d.findElement(By.id("sign-in")).isDisplayed());
            signIn(browser, "admin");
            assertThat(text(driver, "who")).contains("purge-admin");
            choose(driver, "everything");
            focus(driver, "targets");
            type(driver, "cdn");
            focus(driver, "ticket");
            type(driver, "OPS-4712");
            focus(driver, "reason");
            type(driver, "poisoned cache after a bad deploy");
            driver.findElement(By.id("preview-button")).sendKeys(Keys.ENTER);
            browser.waitUpTo(PATIENCE)
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("checklist")));
            assertThat(text(driver, "checklist")).isNotBlank();
            assertThat(driver.findElement(By.id("purge-button")).isEnabled()).isFalse();
            for (WebElement box : driver.findElements(By.cssSelector("#checklist-items input"))) {
                box.sendKeys(Keys.SPACE);
            }
            assertThat(driver.findElement(By.id("purge-button")).isEnabled()).isFalse();
            String expected = text(driver, "confirm-expected");
            assertThat(expected).isEqualTo("cdn");
            focus(driver, "confirm");
            type(driver, expected);
            browser.screenshot("ops-4-admin-everything-confirm");
            WebElement purgeAll = driver.findElement(By.id("purge-button"));
            assertThat(purgeAll.isEnabled()).isTrue();
            purgeAll.sendKeys(Keys.ENTER);
            browser.waitUpTo(PATIENCE)
                    .until(
                            ExpectedConditions.textToBePresentInElementLocated(
                                    By.id("status-summary"), "Completed"));
            assertThat(rowOf(driver, "status-rows", "cdn")).contains("Completed");
            browser.waitUpTo(PATIENCE)
                    .until(
                            ExpectedConditions.textToBePresentInElementLocated(
                                    By.id("recent-rows"), "OPS-4712"));
            browser.screenshot("ops-5-admin-everything-completed");
        }
    }

    /** Sign in through Keycloak's login page with the dev user whose password is its name. */
    private static void signIn(HeadlessChromium browser, String user) {
        WebDriver driver = browser.driver();
        browser.waitUpTo(PATIENCE).until(d -> d.findElement(By.id("sign-in")).isDisplayed());
        driver.findElement(By.id("sign-in")).sendKeys(Keys.ENTER);
        try {
            // Keycloak renders its first login page slowly on a loaded machine
            browser.waitUpTo(PATIENCE.multipliedBy(2))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        } catch (TimeoutException e) {
            browser.screenshot("ops-sign-in-failed-" + user);
            throw new AssertionError(
                    "no login page for " + user + " at " + driver.getCurrentUrl(), e);
        }
        WebElement username = driver.findElement(By.id("username"));
        username.clear();
        username.sendKeys(user, Keys.TAB);
        new Actions(driver).sendKeys(user, Keys.ENTER).perform();
        browser.waitUpTo(PATIENCE)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), user));
    }

    private static void focus(WebDriver driver, String id) {
        WebElement element = driver.findElement(By.id(id));
        element.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    }

    private static void type(WebDriver driver, String text) {
        new Actions(driver).sendKeys(text).perform();
    }

    private static void keys(WebDriver driver, CharSequence... keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    private static void choose(WebDriver driver, String kind) {
        driver.findElement(By.cssSelector("input[name=kind][value=" + kind + "]"))
                .sendKeys(Keys.SPACE);
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static String rowOf(WebDriver driver, String body, String target) {
        return driver.findElements(By.cssSelector("#" + body + " tr")).stream()
                .map(WebElement::getText)
                .filter(t -> t.startsWith(target + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + target + " in " + body));
    }
}
