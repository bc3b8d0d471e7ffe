package dev.tagpurge.admin;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code /ops} answers with a redirect to {@code /ops/}, where the page's files are served from
 * {@code META-INF/resources/ops/}, so that the page's relative links resolve.
 */
@ApplicationScoped
public class OpsPageRoute {

    void route(@Observes Router router) {
        router.routeWithRegex(HttpMethod.GET, "^/ops$").handler(ctx -> ctx.redirect("/ops/"));
    }
}
