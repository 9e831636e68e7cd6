package greyrelay.admin.spamtrap;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.RelayPolicy;
import greyrelay.admin.audit.Actor;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.Html;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.admin.web.Requests;
import greyrelay.db.greylist.TrapBlock;
import greyrelay.db.greylist.TrapBlockStore;
import greyrelay.db.net.IpNetwork;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Spamtraps and the client networks they blocked ({@code /spamtraps}, {@code /api/spamtraps}): the trap addresses from
 * the configuration, the blocks in force with their reason and expiry, unblock (audited).
 */
public final class SpamtrapController implements AdminFeature {
    private final TrapBlockStore store;
    private final Optional<RelayPolicy> policy;
    private final Auditor audit;
    private final Pages pages;
    private final Clock clock;
    private final BiConsumer<Context, String> flash;

    public SpamtrapController(TrapBlockStore store, Optional<RelayPolicy> policy, Auditor audit, Pages pages, Clock clock,
            BiConsumer<Context, String> flash) {
        this.store = store;
        this.policy = policy;
        this.audit = audit;
        this.pages = pages;
        this.clock = clock;
        this.flash = flash;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Spamtraps", "/spamtraps", 70));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/spamtraps.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get("/spamtraps", this::page);
        r.post("/spamtraps/unblock", this::unblock);
        r.get("/api/spamtraps", this::api);
        r.post("/api/spamtraps/unblock", this::apiUnblock);
    }

    /** A block in the API; sender, trap and reason came from a stranger's envelope. */
    public record Block(String network, Instant blockedAt, Instant expiresAt, int hits, String clientIp, String sender, String trap,
            String reason) {
        static Block of(TrapBlock b) {
            return new Block(b.network(), b.blockedAt(), b.expiresAt(), b.hits(), b.clientIp(), b.sender(), b.trap(), b.reason());
        }
    }

    /** What an unblock came to: the network lifted, or the reason it could not be. */
    sealed interface Unblocked {
        record Done(String network) implements Unblocked {}

        record Invalid(Map<String, String> errors) implements Unblocked {}
    }

    Unblocked unblock(Form f, Actor who) {
        String raw = f.text("network", 64);
        if (raw == null && f.errorFor("network") == null) f.error("network", "required: the blocked network, such as 192.0.2.0/24");
        if (!f.ok()) return new Unblocked.Invalid(f.errors());
        String network;
        try {
            network = IpNetwork.parse(raw).toString();
        } catch (IllegalArgumentException e) {
            return new Unblocked.Invalid(Map.of("network", e.getMessage()));
        }
        if (!store.unblock(network)) throw new NotFoundResponse("the network " + network + " is not blocked");
        audit.record(who, "spamtrap.unblock", network, null);
        return new Unblocked.Done(network);
    }

    private static Sorting<TrapBlockStore.Column> sorting(Form f) {
        return Sorting.from(f, TrapBlockStore.Column.class, TrapBlockStore.Column.UNTIL, false);
    }

    private static Sort<TrapBlockStore.Column> sort(Sorting<TrapBlockStore.Column> s) {
        return new Sort<>(s.column(), s.ascending());
    }

    /** Where an unblock from another page returns: a decision's page. */
    private static final java.util.regex.Pattern BACK = java.util.regex.Pattern.compile("/decisions/\\d{1,19}");

    private void page(Context ctx) {
        Form f = Form.query(ctx);
        Paging paging = Paging.from(f);
        Sorting<TrapBlockStore.Column> sorting = sorting(f);
        Instant now = clock.instant();
        List<TrapBlock> rows = f.ok() ? store.active(now, paging.limit() + 1, paging.offset(), sort(sorting)) : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("page", pages.of(ctx, "Spamtraps", "/spamtraps"));
        model.put("form", f);
        model.put("rows", rows.size() > paging.limit() ? rows.subList(0, paging.limit()) : rows);
        model.put("more", rows.size() > paging.limit());
        model.put("paging", paging);
        model.put("sorting", sorting);
        model.put("filters", "");
        model.put("now", now);
        model.put("greylist", policy.map(RelayPolicy::greylist).orElse(null));
        ctx.status(f.ok() ? 200 : 400).render("spamtrap/list.jte", model);
    }

    private void unblock(Context ctx) {
        Form f = Form.body(ctx);
        switch (unblock(f, Requests.actor(ctx))) {
            case Unblocked.Done d -> {
                flash.accept(ctx, "Unblocked " + d.network() + ".");
                String back = f.raw("back");
                ctx.redirect(BACK.matcher(back).matches() ? back : "/spamtraps", HttpStatus.SEE_OTHER);
            }
            case Unblocked.Invalid i -> Problems.answer(ctx, pages, 400, "Not a network: " + i.errors().get("network"), i.errors());
        }
    }

    private void api(Context ctx) {
        Form f = Form.query(ctx);
        Paging paging = Paging.from(f);
        Sorting<TrapBlockStore.Column> sorting = sorting(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        List<TrapBlock> rows = store.active(clock.instant(), paging.limit() + 1, paging.offset(), sort(sorting));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("traps", policy.map(p -> p.greylist().spamtraps()).orElse(null));
        body.put("trapDuration", policy.map(p -> Html.duration(p.greylist().trapDuration())).orElse(null));
        body.put("blocks", rows.stream().limit(paging.limit()).map(Block::of).toList());
        body.put("more", rows.size() > paging.limit());
        ctx.json(body);
    }

    private void apiUnblock(Context ctx) {
        switch (unblock(Form.json(ctx), Requests.actor(ctx))) {
            case Unblocked.Done d -> ctx.json(Map.of("network", d.network(), "unblocked", true));
            case Unblocked.Invalid i -> Problems.answer(ctx, pages, 400, "invalid input", i.errors());
        }
    }
}
