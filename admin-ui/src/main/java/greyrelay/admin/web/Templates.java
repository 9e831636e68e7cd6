package greyrelay.admin.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.JavalinConfig;
import java.util.Map;

/**
 * jte, precompiled at build time ({@code jte-maven-plugin}, templates in {@code src/main/jte}), wired into Javalin by
 * hand ({@code javalin-rendering} is not published for Javalin 7). Content type HTML: every {@code ${…}} is escaped for
 * its context; no template uses {@code $unsafe} on anything that came from outside.
 */
public final class Templates {
    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private Templates() {}

    public static void install(JavalinConfig cfg) {
        cfg.fileRenderer((file, model, ctx) -> {
            // Kotlin's Map<String, Any?> arrives as Map<String, ?>: without this cast javac picks render(String, Object, …)
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) model;
            StringOutput out = new StringOutput();
            ENGINE.render(file, params, out);
            return out.toString();
        });
    }
}
