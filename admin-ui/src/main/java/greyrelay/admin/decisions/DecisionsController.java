package greyrelay.admin.decisions;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.TripletKeys;
import greyrelay.admin.web.Page;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.db.decision.DecisionLog;
import greyrelay.db.decision.DecisionQuery;
import greyrelay.db.decision.DecisionRecord;
import greyrelay.db.decision.Outcome;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.StoredTriplet;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.db.greylist.TripletKey;
import greyrelay.db.greylist.TripletQuery;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.net.NetworkPrefixes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * "Why was this message deferred?": the decision log searched by sender, recipient, client and time
 * ({@code /decisions}, {@code GET /api/decisions}), and one decision with the rest of its SMTP session
 * ({@code /decisions/{id}}, {@code GET /api/decisions/{id}}). Observe-mode rows show what the check would have
 * answered. Everything shown came from strangers (HELO, addresses, replies) and is escaped by the templates.
 */
public final class DecisionsController implements AdminFeature {
    /** How many decisions of one session the detail page shows. */
    static final int SESSION_ROWS = 200;
    private static final Pattern IP_TEXT = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** What a "verify this sender now" redirect back here says ({@code ?notice=}); any other code says nothing. */
    private static final Map<String, String> NOTICES = Map.of(
            "reverify-started", "A fresh probe of the sender has started in the background; reload in a moment for its result.",
            "reverify-running", "A probe of the sender was already running; its result will be the fresh one.");

    /** What {@code POST /api/decisions/check} answers without a relay. */
    static final String STANDALONE = "a dry run needs the relay's check table: this panel runs alone (greyrelay admin)";

    private final DecisionLog store;
    private final NetworkPrefixes clientNetworks;
    private final Optional<DryRuns> dryRuns;
    private final Pages pages;
    private final Facts facts;

    /**
     * What a decision's page needs beyond the log to offer the actions its facts allow.
     *
     * @param triplets  the greylist (pass this triplet)
     * @param blocks    spamtrap blocks (unblock this network)
     * @param keys      how the relay keys a triplet
     * @param canVerify whether this panel can start a probe (embedded in a relay)
     * @param hasQueue  whether this node's queue page exists (queue ids in replies link to it)
     */
    public record Facts(GreylistStore triplets, TrapBlockStore blocks, TripletKeys keys, boolean canVerify, boolean hasQueue,
            Clock clock) {}

    /** @param clientNetworks the greylist's prefixes: the network "whitelist this client network" offers */
    public DecisionsController(DecisionLog store, NetworkPrefixes clientNetworks, Pages pages, Facts facts) {
        this(store, clientNetworks, Optional.empty(), pages, facts);
    }

    /** @param dryRuns the relay's check table for "what would happen?"; empty for a panel running alone */
    public DecisionsController(DecisionLog store, NetworkPrefixes clientNetworks, Optional<DryRuns> dryRuns, Pages pages,
            Facts facts) {
        this.store = store;
        this.clientNetworks = clientNetworks;
        this.dryRuns = dryRuns;
        this.pages = pages;
        this.facts = facts;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Decisions", "/decisions", 20));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/decisions.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/decisions", this::page);
        r.get("/decisions/{id}", this::detail);
        r.get("/api/decisions", this::api);
        r.get("/api/decisions/{id}", this::apiDetail);
        r.post("/api/decisions/check", this::apiCheck);
    }

    /** A dry run's input, validated; {@code form} holds the errors. */
    static Optional<DryRuns.Request> checkRequest(Form f) {
        String client = f.text("client", 45);
        java.net.InetAddress address = null;
        if (client == null || !IP_TEXT.matcher(client).matches()) {
            f.error("client", "an IP address such as 192.0.2.7 or 2001:db8::7");
        } else {
            try {
                address = IpNetwork.literal(client);
            } catch (IllegalArgumentException e) {
                f.error("client", "an IP address such as 192.0.2.7 or 2001:db8::7");
            }
        }
        String helo = f.text("helo", 255);
        String sender = f.raw("sender").strip();
        if (sender.startsWith("<") && sender.endsWith(">")) sender = sender.substring(1, sender.length() - 1);
        if (sender.length() > Form.MAX_TEXT) f.error("sender", "at most " + Form.MAX_TEXT + " characters");
        String recipient = f.text("recipient");
        if (recipient != null && recipient.startsWith("<") && recipient.endsWith(">")) recipient = recipient.substring(1, recipient.length() - 1);
        if (recipient == null || recipient.isEmpty()) f.error("recipient", "the recipient address (RCPT TO)");
        Long size = null;
        String sizeText = f.text("size", 20);
        if (sizeText != null) {
            try {
                size = Long.parseLong(sizeText);
                if (size < 0) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                f.error("size", "a number of bytes");
            }
        }
        boolean probe = Boolean.parseBoolean(f.raw("probe"));
        if (!f.ok()) return Optional.empty();
        return Optional.of(new DryRuns.Request(address, Optional.ofNullable(helo), sender, recipient, Optional.ofNullable(size), probe));
    }

    private void apiCheck(Context ctx) {
        Form f = Form.json(ctx);
        Optional<DryRuns.Request> request = checkRequest(f);
        if (request.isEmpty()) {
            Problems.answer(ctx, pages, 400, "invalid input", f.errors());
            return;
        }
        if (dryRuns.isEmpty()) {
            Problems.answer(ctx, pages, 409, STANDALONE, Map.of());
            return;
        }
        ctx.json(dryRuns.get().check(request.get()));
    }

    /** A parsed search; {@code form} holds the errors. */
    record Search(Form form, DecisionQuery query, Paging paging, Sorting<DecisionLog.Column> sorting) {}

    /** The search fields a sorted or paged link keeps. */
    static final String[] FILTERS = {"sender", "recipient", "client", "outcome", "from", "to"};

    static Search search(Form f) {
        String sender = f.text("sender");
        String recipient = f.text("recipient");
        String client = f.text("client", 45);
        if (client != null && !IP_TEXT.matcher(client).matches()) {
            f.error("client", "an IP address such as 192.0.2.7 or 2001:db8::7");
            client = null;
        }
        Outcome outcome = f.choice("outcome", Outcome.class);
        var from = f.time("from");
        var to = f.time("to");
        if (from != null && to != null && !from.isBefore(to)) f.error("to", "must be after from");
        Paging paging = Paging.from(f);
        Sorting<DecisionLog.Column> sorting = Sorting.from(f, DecisionLog.Column.class, DecisionLog.Column.TIME, false);
        DecisionQuery q = new DecisionQuery(sender, recipient, client, outcome, from, to, paging.limit() + 1, paging.offset());
        return new Search(f, q, paging, sorting);
    }

    private void page(Context ctx) {
        Search s = search(Form.query(ctx));
        List<DecisionRecord> rows = s.form().ok() ? store.search(s.query(), sort(s.sorting())) : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Decisions", "/decisions"));
        model.put("form", s.form());
        model.put("rows", rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows);
        model.put("more", rows.size() > s.paging().limit());
        model.put("paging", s.paging());
        model.put("sorting", s.sorting());
        model.put("filters", s.form().queryString(FILTERS));
        model.put("outcomes", List.of(Outcome.values()));
        model.put("hasQueue", facts.hasQueue());
        ctx.status(s.form().ok() ? 200 : 400).render("decisions/list.jte", model);
    }

    private static Sort<DecisionLog.Column> sort(Sorting<DecisionLog.Column> s) {
        return new Sort<>(s.column(), s.ascending());
    }

    /** The triplet this decision's mail has in the greylist now, if any. */
    Optional<StoredTriplet> triplet(DecisionRecord d) {
        Instant now = facts.clock().instant();
        for (TripletKey k : facts.keys().candidates(d.clientIp(), d.sender(), d.recipient())) {
            List<StoredTriplet> found = facts.triplets().search(new TripletQuery(k.client(), k.sender(), k.recipient(), null, now, 1, 0));
            if (!found.isEmpty()) return Optional.of(found.getFirst());
        }
        return Optional.empty();
    }

    private void detail(Context ctx) {
        DecisionRecord d = find(ctx);
        Page page = pages.of(ctx, "Decision " + d.id(), "/decisions");
        String notice = NOTICES.get(Objects.requireNonNullElse(ctx.queryParam("notice"), ""));
        if (page.flash() == null && notice != null) {
            page = page.withFlash(notice);
        }
        String network = clientNetwork(d.clientIp());
        Instant now = facts.clock().instant();
        Map<String, Object> model = new HashMap<>();
        model.put("page", page);
        model.put("d", d);
        model.put("network", network);
        model.put("now", now);
        model.put("triplet", triplet(d).orElse(null));
        model.put("block", network == null ? null : facts.blocks().active(network, now).orElse(null));
        model.put("canVerify", facts.canVerify() && d.sender() != null && d.sender().contains("@"));
        model.put("hasQueue", facts.hasQueue());
        model.put("session", d.sessionId() == null ? List.of() : store.forSession(d.sessionId(), SESSION_ROWS));
        ctx.render("decisions/detail.jte", model);
    }

    /** The client's network as the greylist keys it; null for anything but an IP literal. */
    private String clientNetwork(String ip) {
        if (ip == null || !IP_TEXT.matcher(ip).matches()) return null;
        try {
            return clientNetworks.networkOf(IpNetwork.literal(ip)).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void api(Context ctx) {
        Search s = search(Form.query(ctx));
        if (!s.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", s.form().errors());
            return;
        }
        List<DecisionRecord> rows = store.search(s.query(), sort(s.sorting()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decisions", rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows);
        body.put("more", rows.size() > s.paging().limit());
        ctx.json(body);
    }

    private void apiDetail(Context ctx) {
        DecisionRecord d = find(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", d);
        body.put("session", d.sessionId() == null ? List.of() : store.forSession(d.sessionId(), SESSION_ROWS));
        ctx.json(body);
    }

    private DecisionRecord find(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no decision " + ctx.pathParam("id"));
        }
        return store.find(id).orElseThrow(() -> new NotFoundResponse("no decision " + id));
    }
}
