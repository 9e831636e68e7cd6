package greyrelay.admin.greylist;

import greyrelay.admin.ChangeListener;
import greyrelay.admin.AdminFeature;
import greyrelay.admin.RelayPolicy;
import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.admin.web.Requests;
import greyrelay.db.greylist.ClientNetworkEntry;
import greyrelay.db.greylist.GreylistStore;
import greyrelay.db.greylist.StoredTriplet;
import greyrelay.db.greylist.TripletQuery;
import greyrelay.db.greylist.TripletState;
import greyrelay.db.net.IpNetwork;
import greyrelay.db.net.NetworkPrefixes;
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
import java.util.regex.Pattern;

/**
 * The greylist: triplets searched and paged, passed or deleted one at a time; the auto-whitelisted client networks
 * ({@code /greylist}, {@code /greylist/clients}, {@code /api/greylist…}). Every change is audited; the relay reads
 * triplets per decision, so no notice is sent.
 */
public final class GreylistController implements AdminFeature {
    /** The relay's defaults, used only when the panel was started without the relay's policy. */
    static final Duration DEFAULT_MAX_AGE = Duration.ofDays(35);
    static final int DEFAULT_AUTO_WHITELIST_AFTER = 5;
    private static final Pattern SPF_KEY = Pattern.compile("spf:[a-z0-9._-]{1,253}");
    /** Where an action may send the browser back to: this page with its search, nothing else. */
    private static final Pattern BACK = Pattern.compile("/greylist(\\?[^\\s\\\\]*)?|/decisions/\\d{1,19}");

    private final GreylistStore store;
    private final Optional<RelayPolicy> policy;
    private final ChangeListener changes;
    private final Auditor audit;
    private final Pages pages;
    private final Clock clock;
    private final BiConsumer<Context, String> flash;

    public GreylistController(GreylistStore store, Optional<RelayPolicy> policy, ChangeListener changes, Auditor audit,
            Pages pages, Clock clock, BiConsumer<Context, String> flash) {
        this.store = store;
        this.policy = policy;
        this.changes = changes;
        this.audit = audit;
        this.pages = pages;
        this.clock = clock;
        this.flash = flash;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Greylist", "/greylist", 30));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/greylist.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/greylist", this::page);
        r.get("/greylist/clients", this::clientsPage);
        r.post("/greylist/{id}/pass", ctx -> act(ctx, true));
        r.post("/greylist/{id}/delete", ctx -> act(ctx, false));

        r.get("/api/greylist", this::api);
        r.get("/api/greylist/clients", this::apiClients);
        r.get("/api/greylist/{id}", ctx -> ctx.json(GreylistView.Triplet.of(find(ctx), clock.instant())));
        r.post("/api/greylist/{id}/pass", ctx -> ctx.json(GreylistView.Triplet.of(pass(find(ctx), Requests.actor(ctx)), clock.instant())));
        r.delete("/api/greylist/{id}", ctx -> {
            StoredTriplet t = delete(find(ctx), Requests.actor(ctx));
            ctx.json(Map.of("id", t.id(), "deleted", true));
        });
    }

    // --- searching

    /**
     * A parsed search.
     *
     * @param network the client network searched for, when the admin typed a single address ("192.0.2.10 is in …")
     */
    record Search(Form form, TripletQuery query, Paging paging, String network, Sorting<GreylistStore.Column> sorting) {
        Sort<GreylistStore.Column> sort() {
            return new Sort<>(sorting.column(), sorting.ascending());
        }
    }

    /** The search fields a sorted or paged link keeps. */
    static final String[] FILTERS = {"client", "sender", "recipient", "state"};

    Search search(Form f, Instant now) {
        String client = f.text("client", 260);
        String typedAddress = null;
        if (client != null) {
            String c = client.toLowerCase(Locale.ROOT);
            if (c.startsWith("spf:")) {
                if (!SPF_KEY.matcher(c).matches()) f.error("client", "spf: and a domain, such as spf:example.org");
                client = c;
            } else {
                try {
                    IpNetwork n = IpNetwork.parse(c);
                    if (n.isSingleAddress()) {
                        typedAddress = c;
                        n = clientNetworks().networkOf(n.address());
                    }
                    client = n.toString();
                } catch (IllegalArgumentException e) {
                    f.error("client", "an IP address, a network such as 192.0.2.0/24, or spf:example.org");
                    client = null;
                }
            }
        }
        String sender = lower(f.text("sender"));
        String recipient = lower(f.text("recipient"));
        TripletState state = f.choice("state", TripletState.class);
        Paging paging = Paging.from(f);
        Sorting<GreylistStore.Column> sorting = Sorting.from(f, GreylistStore.Column.class, GreylistStore.Column.ID, false);
        TripletQuery q = new TripletQuery(client, sender, recipient, state, now, paging.limit() + 1, paging.offset());
        return new Search(f, q, paging, typedAddress == null ? null : client, sorting);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private NetworkPrefixes clientNetworks() {
        return policy.map(p -> p.greylist().clientNetworks()).orElse(NetworkPrefixes.DEFAULT);
    }

    private int autoWhitelistAfter() {
        return policy.map(p -> p.greylist().autoWhitelistAfter()).orElse(DEFAULT_AUTO_WHITELIST_AFTER);
    }

    // --- the operations

    StoredTriplet pass(StoredTriplet t, Actor who) {
        Instant now = clock.instant();
        Duration maxAge = policy.map(p -> p.greylist().maxAge()).orElse(DEFAULT_MAX_AGE);
        if (!store.passNow(t.id(), now, now.plus(maxAge))) throw new NotFoundResponse("no greylist triplet " + t.id());
        audit.record(who, "greylist.pass", t.key().toString(), "was " + GreylistView.param(t.state(now)));
        return store.find(t.id()).orElseThrow(() -> new NotFoundResponse("no greylist triplet " + t.id()));
    }

    StoredTriplet delete(StoredTriplet t, Actor who) {
        if (!store.delete(t.id())) throw new NotFoundResponse("no greylist triplet " + t.id());
        changes.changed(ChangeListener.What.GREYLIST);
        audit.record(who, "greylist.delete", t.key().toString(), "was " + GreylistView.param(t.state(clock.instant())));
        return t;
    }

    // --- pages

    private void page(Context ctx) {
        Instant now = clock.instant();
        Search s = search(Form.query(ctx), now);
        List<StoredTriplet> rows = s.form().ok() ? store.search(s.query(), s.sort()) : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Greylist", "/greylist"));
        model.put("sorting", s.sorting());
        model.put("filters", s.form().queryString(FILTERS));
        model.put("form", s.form());
        model.put("rows", rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows);
        model.put("more", rows.size() > s.paging().limit());
        model.put("paging", s.paging());
        model.put("network", s.network());
        model.put("now", now);
        model.put("greylist", policy.map(RelayPolicy::greylist).orElse(null));
        model.put("back", back(ctx.queryString()));
        ctx.status(s.form().ok() ? 200 : 400).render("greylist/list.jte", model);
    }

    private static String back(String query) {
        return query == null || query.isEmpty() ? "/greylist" : "/greylist?" + query;
    }

    private void act(Context ctx, boolean pass) {
        StoredTriplet t = find(ctx);
        if (pass) {
            pass(t, Requests.actor(ctx));
            flash.accept(ctx, "Triplet " + t.key() + " passed: it is let through from now on.");
        } else {
            delete(t, Requests.actor(ctx));
            flash.accept(ctx, "Triplet " + t.key() + " deleted: its next attempt is greylisted as new.");
        }
        String back = ctx.formParam("back");
        ctx.redirect(back != null && BACK.matcher(back).matches() ? back : "/greylist", HttpStatus.SEE_OTHER);
    }

    /** The auto-whitelisted networks' search: an exact network, or an address (its network), and a page. */
    record Networks(Form form, String network, Paging paging, Sorting<GreylistStore.ClientColumn> sorting) {
        Sort<GreylistStore.ClientColumn> sort() {
            return new Sort<>(sorting.column(), sorting.ascending());
        }
    }

    Networks networks(Form f) {
        String n = f.text("network", 64);
        String network = null;
        if (n != null) {
            try {
                IpNetwork parsed = IpNetwork.parse(n);
                if (parsed.isSingleAddress()) parsed = clientNetworks().networkOf(parsed.address());
                network = parsed.toString();
            } catch (IllegalArgumentException e) {
                f.error("network", "an IP address or a network such as 192.0.2.0/24");
            }
        }
        Paging paging = Paging.from(f);
        return new Networks(f, network, paging,
                Sorting.from(f, GreylistStore.ClientColumn.class, GreylistStore.ClientColumn.EXPIRES, false));
    }

    private void clientsPage(Context ctx) {
        Networks n = networks(Form.query(ctx));
        int min = autoWhitelistAfter();
        List<ClientNetworkEntry> rows = n.form().ok() && min > 0
                ? store.autoWhitelisted(n.network(), min, clock.instant(), n.paging().limit() + 1, n.paging().offset(), n.sort())
                : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("sorting", n.sorting());
        model.put("filters", n.form().queryString("network"));
        model.put("page", pages.of(ctx, "Auto-whitelisted networks", "/greylist"));
        model.put("form", n.form());
        model.put("rows", rows.size() > n.paging().limit() ? rows.subList(0, n.paging().limit()) : rows);
        model.put("more", rows.size() > n.paging().limit());
        model.put("paging", n.paging());
        model.put("minPasses", min);
        model.put("greylist", policy.map(RelayPolicy::greylist).orElse(null));
        ctx.status(n.form().ok() ? 200 : 400).render("greylist/clients.jte", model);
    }

    // --- API

    private void api(Context ctx) {
        Instant now = clock.instant();
        Search s = search(Form.query(ctx), now);
        if (!s.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", s.form().errors());
            return;
        }
        List<StoredTriplet> rows = store.search(s.query(), s.sort());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("client", s.query().client());
        body.put("triplets", rows.stream().limit(s.paging().limit()).map(t -> GreylistView.Triplet.of(t, now)).toList());
        body.put("more", rows.size() > s.paging().limit());
        ctx.json(body);
    }

    private void apiClients(Context ctx) {
        Networks n = networks(Form.query(ctx));
        if (!n.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", n.form().errors());
            return;
        }
        int min = autoWhitelistAfter();
        List<ClientNetworkEntry> rows = min > 0
                ? store.autoWhitelisted(n.network(), min, clock.instant(), n.paging().limit() + 1, n.paging().offset(), n.sort())
                : List.of();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("autoWhitelistAfter", min);
        body.put("networks", rows.stream().limit(n.paging().limit()).map(GreylistView.Network::of).toList());
        body.put("more", rows.size() > n.paging().limit());
        ctx.json(body);
    }

    private StoredTriplet find(Context ctx) {
        long id = Requests.id(ctx, "greylist triplet");
        return store.find(id).orElseThrow(() -> new NotFoundResponse("no greylist triplet " + id));
    }
}
