package greyrelay.admin.cluster;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Requests;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.db.node.NodeHeartbeat;
import greyrelay.db.node.NodeHeartbeats;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The nodes sharing this database ({@code /cluster}, {@code /api/cluster}): each node's last heartbeat (version, start
 * time, last seen, SMTP listening, queue depth, oldest message) and whether it is up or down at the panel's clock. A
 * down node (taken out of service, renamed) can be forgotten, audited; a live one cannot, since its next heartbeat would
 * bring it back anyway.
 */
public final class ClusterController implements AdminFeature {
    private final NodeHeartbeats store;
    private final Pages pages;
    private final Clock clock;
    private final Auditor audit;
    private final BiConsumer<Context, String> flash;

    public ClusterController(NodeHeartbeats store, Auditor audit, Pages pages, Clock clock, BiConsumer<Context, String> flash) {
        this.store = store;
        this.audit = audit;
        this.pages = pages;
        this.clock = clock;
        this.flash = flash;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Cluster", "/cluster", 85));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/cluster.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/cluster", this::page);
        r.post("/cluster/forget", this::forgetForm);
        r.get("/api/cluster", this::api);
        r.delete("/api/cluster/nodes/{name}", this::apiForget);
    }

    /** What forgetting a node came to: forgotten, or still alive (409). A node that is not listed is a 404. */
    sealed interface Forgotten {
        record Done(NodeHeartbeat node) implements Forgotten {}

        record Alive(NodeHeartbeat node) implements Forgotten {}
    }

    Forgotten forget(String name, Actor who) {
        Instant now = clock.instant();
        NodeHeartbeat node = (name == null ? Optional.<NodeHeartbeat>empty() : store.find(name))
                .orElseThrow(() -> new NotFoundResponse("no node " + name));
        // one conditional statement: a node that beats between the read and the delete is kept
        if (node.state(now) != NodeHeartbeat.State.DOWN || !store.deleteIfSilentSince(node.name(), now.minus(NodeHeartbeat.DOWN_AFTER))) {
            return new Forgotten.Alive(store.find(node.name()).orElse(node));
        }
        audit.record(who, "cluster.forget", node.name(), "last seen " + node.lastSeen());
        return new Forgotten.Done(node);
    }

    private static String alive(NodeHeartbeat n) {
        return "the node " + n.name() + " is up (last seen " + n.lastSeen() + "): only a node not seen for "
                + NodeHeartbeat.DOWN_AFTER.toSeconds() + " s can be forgotten";
    }

    private void forgetForm(Context ctx) {
        switch (forget(Form.body(ctx).raw("name"), Requests.actor(ctx))) {
            case Forgotten.Done d -> {
                flash.accept(ctx, "Forgot the node " + d.node().name() + ".");
                ctx.redirect("/cluster", HttpStatus.SEE_OTHER);
            }
            case Forgotten.Alive a -> Problems.answer(ctx, pages, 409, alive(a.node()), Map.of());
        }
    }

    private void apiForget(Context ctx) {
        switch (forget(ctx.pathParam("name"), Requests.actor(ctx))) {
            case Forgotten.Done d -> ctx.json(Map.of("name", d.node().name(), "forgotten", true));
            case Forgotten.Alive a -> Problems.answer(ctx, pages, 409, alive(a.node()), Map.of());
        }
    }

    /**
     * A node in the API and on the page.
     *
     * @param state                {@code up}, or {@code down} when not seen for a minute
     * @param lastSeenSecondsAgo   how long ago its last heartbeat was written, by the panel's clock
     */
    public record Node(String name, String state, String version, Instant startedAt, Instant lastSeen, long lastSeenSecondsAgo,
            boolean smtpListening, int queueDepth, Long oldestMessageSeconds, boolean self) {
        static Node of(NodeHeartbeat h, Instant now, String self) {
            return new Node(h.name(), h.state(now).name().toLowerCase(Locale.ROOT), h.version(), h.startedAt(), h.lastSeen(),
                    Math.max(0, Duration.between(h.lastSeen(), now).toSeconds()), h.smtpListening(), h.queueDepth(),
                    h.oldestMessageSeconds(), h.name().equals(self));
        }

        public boolean down() {
            return state.equals("down");
        }
    }

    List<Node> nodes(Instant now) {
        return nodes(now, Sort.asc(NodeHeartbeats.Column.NODE));
    }

    List<Node> nodes(Instant now, Sort<NodeHeartbeats.Column> sort) {
        return store.list(sort).stream().map(h -> Node.of(h, now, pages.node())).toList();
    }

    private static Sorting<NodeHeartbeats.Column> sorting(Form f) {
        return Sorting.from(f, NodeHeartbeats.Column.class, NodeHeartbeats.Column.NODE, true);
    }

    private void page(Context ctx) {
        Instant now = clock.instant();
        Form f = Form.query(ctx);
        Sorting<NodeHeartbeats.Column> sorting = sorting(f);
        List<Node> nodes = nodes(now, new Sort<>(sorting.column(), sorting.ascending()));
        Map<String, Object> model = new HashMap<>();
        model.put("sorting", sorting);
        model.put("filters", "");
        model.put("page", pages.of(ctx, "Cluster", "/cluster"));
        model.put("nodes", nodes);
        model.put("down", nodes.stream().filter(Node::down).count());
        model.put("downAfter", NodeHeartbeat.DOWN_AFTER);
        ctx.status(f.ok() ? 200 : 400).render("cluster/list.jte", model);
    }

    private void api(Context ctx) {
        Instant now = clock.instant();
        Form f = Form.query(ctx);
        Sorting<NodeHeartbeats.Column> sorting = sorting(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", now);
        body.put("self", pages.node());
        body.put("downAfterSeconds", NodeHeartbeat.DOWN_AFTER.toSeconds());
        body.put("nodes", nodes(now, new Sort<>(sorting.column(), sorting.ascending())));
        ctx.json(body);
    }
}
