package dev.tagpurge.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The browser the page tests use: Debian's Chromium starts headless, runs a page's script, is
 * driven with the keyboard alone, and saves a screenshot.
 */
class HeadlessChromiumTest {

    private static final String PAGE =
            """
            <!doctype html><html><head><title>form</title></head><body>
            <form id="f"><label for="ticket">Ticket</label><input id="ticket" name="ticket">
            <button type="submit">Send</button></form><p id="out" role="status"></p>
            <script>
            document.getElementById('f').addEventListener('submit', e => {
              e.preventDefault();
              document.getElementById('out').textContent =
                'sent ' + document.getElementById('ticket').value;
            });
            </script></body></html>
            """;

    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void fillsAFormWithTheKeyboardAloneAndSavesAScreenshot() throws IOException {
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            browser.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            // Tab from the page to the labelled field, type, then Tab to the button and press it
            new Actions(browser.driver())
                    .sendKeys(Keys.TAB)
                    .sendKeys("OPS-42")
                    .sendKeys(Keys.TAB)
                    .sendKeys(Keys.ENTER)
                    .perform();
            browser.waitUpTo(Duration.ofSeconds(10))
                    .until(ExpectedConditions.textToBe(By.id("out"), "sent OPS-42"));

            Path shot = browser.screenshot("headless-chromium-smoke");
            byte[] png = Files.readAllBytes(shot);
            assertThat(png).hasSizeGreaterThan(1000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }
}
