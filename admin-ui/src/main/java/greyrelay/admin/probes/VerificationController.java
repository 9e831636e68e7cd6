package greyrelay.admin.probes;

import greyrelay.admin.AdminFeature;
import greyrelay.admin.RelayPolicy;
import greyrelay.admin.audit.Auditor;
import greyrelay.admin.web.Form;
import greyrelay.admin.web.Html;
import greyrelay.admin.web.NavItem;
import greyrelay.admin.web.Page;
import greyrelay.admin.web.Pages;
import greyrelay.admin.web.Paging;
import greyrelay.admin.web.Problems;
import greyrelay.admin.web.Requests;
import greyrelay.admin.web.Sorting;
import greyrelay.db.Sort;
import greyrelay.db.verify.CacheEntry;
import greyrelay.db.verify.CacheKind;
import greyrelay.db.verify.DomainProfile;
import greyrelay.db.verify.DomainProfiles;
import greyrelay.db.verify.DomainTrait;
import greyrelay.db.verify.ProbeLog;
import greyrelay.db.verify.ProbeOrder;
import greyrelay.db.verify.ProbeQuery;
import greyrelay.db.verify.ProbeRecord;
import greyrelay.db.verify.ProfileQuery;
import greyrelay.db.verify.VouchStore;
import greyrelay.db.verify.VerificationCache;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Verification history: the probe log searched by address, domain, outcome, kind, source (probe or cache answer) and
 * time, sorted and paged ({@code /verification}, {@code GET /api/verification/probes}); one probe with its whole
 * transcript, the address's cached verdict now and the domain's learned profile ({@code /verification/probes/{id}});
 * the learned domain profiles ({@code /verification/domains}, {@code /verification/domains/{domain}}); and the
 * actions "verify again now" (through the relay's {@link VerificationOperations}, embedded panel only), "forget cached
 * result" and "forget profile", each audited.
 *
 * <p>Everything shown from a probe came from a stranger's MX or DNS: transcripts, replies, host names. Templates print
 * it escaped; transcripts additionally have control and direction characters spelled out ({@link Visible}).
 */
public final class VerificationController implements AdminFeature {
    static final String PATH = "/verification";
    static final String API = "/api" + PATH;
    static final String STYLE = "/static/verification.css";
    /** Other probes of the same address on a probe's page. */
    static final int RECENT = 10;
    /** Cached verdicts shown on a domain's page. */
    static final int DOMAIN_CACHE_ROWS = 100;
    static final String STANDALONE = "\"Verify again now\" needs a relay: this panel runs alone (greyrelay admin)."
            + " Forget the cached result instead: the next mail from this address is probed.";

    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>\"\\\\\\p{Cntrl}]+@[^@\\s<>\"\\\\\\p{Cntrl}]+");
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern BACK = Pattern.compile("/verification(/probes/\\d{1,19}|/domains/[a-z0-9_.-]{1,255})?|/decisions/\\d{1,19}");
    private static final Map<String, String> NOTICES = Map.of(
            "reverify-started", "A fresh probe has started in the background. Reload in a moment to see its result.",
            "reverify-running", "A probe of this address was already running; its result is the fresh one.",
            "forgotten", "The cached verdict is forgotten: the next mail probes this address again.",
            "nothing-cached", "Nothing was cached for this address.",
            "profile-forgotten", "The domain's profile is forgotten: the next probes learn it afresh.",
            "no-profile", "Nothing was known about this domain.");

    /**
     * Which rows of the history: probes on the wire, answers from the cache, or both. The page shows probes by default
     * (cache answers are many and would drown the real probes); the API answers both by default, as it always did.
     */
    enum Source { PROBE, CACHE, ALL }

    private final Optional<VerificationOperations> ops;
    private final Duration profileTtl;
    private final ProbeLog probes;
    private final VerificationCache cache;
    private final DomainProfiles profiles;
    private final VouchStore vouches;
    /** {@code greylist.maxAge}: how long a learned sending network counts; null when the panel was not told. */
    private final Duration networkMaxAge;
    private final Auditor audit;
    private final Pages pages;
    private final Clock clock;

    /**
     * @param ops    the relay's operations when the panel runs inside it; empty alone ({@code greyrelay admin}): then
     *               forgetting works directly on the shared database and "verify again now" is refused
     * @param policy the relay's policy, for how long a learned trait counts ({@code verification.cache.profileTtl});
     *               empty when not told (then no expiry is shown)
     */
    public VerificationController(ProbeLog probes, VerificationCache cache, DomainProfiles profiles, VouchStore vouches,
            Optional<VerificationOperations> ops, Optional<RelayPolicy> policy, Auditor audit, Pages pages, Clock clock) {
        this.ops = ops;
        this.vouches = vouches;
        this.networkMaxAge = policy.map(p -> p.greylist().maxAge()).orElse(null);
        this.profileTtl = policy.map(p -> p.verification().profileTtl()).orElse(null);
        this.probes = probes;
        this.cache = cache;
        this.profiles = profiles;
        this.audit = audit;
        this.pages = pages;
        this.clock = clock;
    }

    @Override
    public List<NavItem> nav() {
        return List.of(new NavItem("Verification", PATH, 60));
    }

    @Override
    public Optional<String> openApi() {
        return Optional.of("openapi/verification.json");
    }

    @Override
    public void routes(RoutesConfig r) {
        r.get(PATH, this::history);
        r.get(PATH + "/probes/{id}", this::probe);
        r.get(PATH + "/domains", this::domains);
        r.get(PATH + "/domains/{domain}", this::domain);
        r.post(PATH + "/reverify", this::reverifyForm);
        r.post(PATH + "/forget", this::forgetForm);
        r.post(PATH + "/domains/{domain}/forget", this::forgetProfileForm);

        r.get(API + "/probes", this::apiHistory);
        r.get(API + "/probes/{id}", this::apiProbe);
        r.get(API + "/cache", this::apiCache);
        r.post(API + "/reverify", this::apiReverify);
        r.post(API + "/forget", this::apiForget);
        r.get(API + "/domains", this::apiDomains);
        r.get(API + "/domains/{domain}", this::apiDomain);
        r.delete(API + "/domains/{domain}", this::apiForgetProfile);
    }

    // ---- reading input ----------------------------------------------------------------------------------------

    /** A parsed history search; {@code form} holds the errors. */
    record Search(Form form, ProbeQuery query, Paging paging) {}

    static Search search(Form f, Source byDefault) {
        String address = f.text("address");
        String domain = domain(f, "domain");
        OutcomeName outcome = f.choice("outcome", OutcomeName.class);
        CacheKind kind = f.choice("kind", CacheKind.class);
        Source chosen = f.choice("source", Source.class);
        Source source = chosen == null ? byDefault : chosen;
        Instant from = f.time("from");
        Instant to = f.time("to");
        if (from != null && to != null && !from.isBefore(to)) f.error("to", "must be after from");
        ProbeOrder order = f.choice("sort", ProbeOrder.class);
        Paging paging = Paging.from(f);
        ProbeQuery q = new ProbeQuery(address, domain, outcome == null ? null : outcome.name(), kind,
                source == Source.ALL ? null : source == Source.CACHE, from, to, paging.limit() + 1, paging.offset(), order);
        return new Search(f, q, paging);
    }

    /** A parsed profile search. */
    record ProfileSearch(Form form, ProfileQuery query, Paging paging, Sorting<DomainProfiles.Column> sorting) {
        Sort<DomainProfiles.Column> sort() {
            return new Sort<>(sorting.column(), sorting.ascending());
        }
    }

    ProfileSearch profileSearch(Form f, Instant now) {
        String text = f.text("q", 255);
        DomainTrait trait = f.choice("trait", DomainTrait.class);
        Paging paging = Paging.from(f);
        Instant since = trait == null || profileTtl == null ? null : now.minus(profileTtl);
        Sorting<DomainProfiles.Column> sorting = Sorting.from(f, DomainProfiles.Column.class, DomainProfiles.Column.CHANGED, false);
        return new ProfileSearch(f, new ProfileQuery(text, trait, since, paging.limit() + 1, paging.offset()), paging, sorting);
    }

    /** An address of one kind, as the cache keys it: the target of an action. */
    record Target(CacheKind kind, String address) {
        String describe() {
            return kind.name().toLowerCase(Locale.ROOT) + " " + address;
        }
    }

    /** {@code kind} (sender when absent) and {@code address} (required); errors go to the form. */
    static Target target(Form f) {
        CacheKind kind = f.choice("kind", CacheKind.class);
        String address = f.text("address");
        if (address == null && f.errorFor("address") == null) f.error("address", "required");
        if (address != null && !ADDRESS.matcher(address).matches()) {
            f.error("address", "an address such as jane@example.org");
            address = null;
        }
        return new Target(kind == null ? CacheKind.SENDER : kind, address == null ? null : address.toLowerCase(Locale.ROOT));
    }

    private static String domain(Form f, String field) {
        String d = f.text(field, 255);
        if (d == null) return null;
        d = d.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(d).matches()) {
            f.error(field, "a domain such as example.org");
            return null;
        }
        return d;
    }

    private static String pathDomain(Context ctx) {
        String d = ctx.pathParam("domain").toLowerCase(Locale.ROOT);
        if (d.length() > 255 || !DOMAIN.matcher(d).matches()) throw new NotFoundResponse("not a domain name: " + Html.cut(d, 80));
        return d;
    }

    /** Where a form action returns to: one of our own pages, never a place the request names freely. */
    private static String back(Form f) {
        String b = f.raw("back");
        return BACK.matcher(b).matches() ? b : PATH;
    }

    private ProbeRecord findProbe(Context ctx) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new NotFoundResponse("no probe " + Html.cut(ctx.pathParam("id"), 40));
        }
        return probes.find(id).orElseThrow(() -> new NotFoundResponse("no probe " + id + " (the history keeps verification.historyRetention)"));
    }

    // ---- pages -------------------------------------------------------------------------------------------------

    /** The frame of our pages: the Verification tab active, our style sheet, and a notice after an action. */
    private Page page(Context ctx, String title) {
        Page p = pages.of(ctx, title, PATH);
        String code = ctx.queryParam("notice");
        String notice = p.flash() != null ? p.flash() : code == null ? null : NOTICES.get(code);
        List<String> styles = new ArrayList<>(p.styles());
        styles.add(STYLE);
        return new Page(p.title(), p.active(), p.user(), p.csrf(), p.nav(), notice, p.node(), p.version(), p.assets(), p.scripts(),
                styles, p.viewer(), p.localTime(), p.here());
    }

    private void history(Context ctx) {
        Search s = search(Form.query(ctx), Source.PROBE);
        List<ProbeSummary> rows = s.form().ok() ? probes.search(s.query()).stream().map(ProbeSummary::of).toList() : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("page", page(ctx, "Verification history"));
        model.put("form", s.form());
        model.put("rows", rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows);
        model.put("more", rows.size() > s.paging().limit());
        model.put("paging", s.paging());
        model.put("canReverify", ops.isPresent());
        ctx.status(s.form().ok() ? 200 : 400).render("probes/history.jte", model);
    }

    private void probe(Context ctx) {
        ProbeRecord p = findProbe(ctx);
        Instant now = clock.instant();
        Map<String, Object> model = new HashMap<>();
        model.put("page", page(ctx, "Probe " + p.id()));
        model.put("p", p);
        model.put("transcript", TranscriptLine.of(p.transcript()));
        model.put("cached", cache.find(p.kind(), p.address()).map(e -> CacheView.of(e, now)).orElse(null));
        model.put("profile", p.kind() == CacheKind.SENDER ? profiles.find(p.domain()).map(d -> ProfileView.of(d, profileTtl, now)).orElse(null) : null);
        model.put("recent", recent(p));
        model.put("canReverify", ops.isPresent());
        model.put("ttlKnown", profileTtl != null);
        ctx.render("probes/probe.jte", model);
    }

    /** Other rows of the same address (the substring search, narrowed to the exact address and kind). */
    private List<ProbeSummary> recent(ProbeRecord p) {
        ProbeQuery q = ProbeQuery.newest(RECENT + 1).withAddressContains(p.address()).withDomain(p.domain()).withKind(p.kind());
        return probes.search(q).stream().filter(r -> !r.id().equals(p.id()) && r.address().equals(p.address())).limit(RECENT)
                .map(ProbeSummary::of).toList();
    }

    private void domains(Context ctx) {
        Instant now = clock.instant();
        ProfileSearch s = profileSearch(Form.query(ctx), now);
        List<DomainProfile> rows = s.form().ok() ? profiles.search(s.query(), s.sort()) : List.of();
        Map<String, Object> model = new HashMap<>();
        model.put("sorting", s.sorting());
        model.put("filters", s.form().queryString("q", "trait"));
        model.put("page", page(ctx, "Domain profiles"));
        model.put("form", s.form());
        model.put("rows", (rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows).stream()
                .map(d -> ProfileView.of(d, profileTtl, now)).toList());
        model.put("more", rows.size() > s.paging().limit());
        model.put("paging", s.paging());
        model.put("ttl", profileTtl);
        ctx.status(s.form().ok() ? 200 : 400).render("probes/domains.jte", model);
    }

    private void domain(Context ctx) {
        String domain = pathDomain(ctx);
        Instant now = clock.instant();
        Map<String, Object> model = new HashMap<>();
        model.put("page", page(ctx, "Domain " + domain));
        model.put("domain", domain);
        model.put("profile", profiles.find(domain).map(d -> ProfileView.of(d, profileTtl, now)).orElse(null));
        Form f = Form.query(ctx);
        Sorting<VerificationCache.Column> sorting = cacheSorting(f);
        model.put("sorting", sorting);
        model.put("cached", cache.byDomain(domain, DOMAIN_CACHE_ROWS, 0, sort(sorting)).stream().map(e -> CacheView.of(e, now)).toList());
        model.put("ttl", profileTtl);
        model.put("canReverify", ops.isPresent());
        model.put("vouching", vouching(domain, now));
        ctx.status(f.ok() ? 200 : 400).render("probes/domain.jte", model);
    }

    // ---- actions -------------------------------------------------------------------------------------------------

    private void reverifyForm(Context ctx) {
        Form f = Form.body(ctx);
        Target t = target(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "Nothing was probed: please correct the address.", f.errors());
            return;
        }
        if (ops.isEmpty()) {
            Problems.answer(ctx, pages, 409, STANDALONE, Map.of());
            return;
        }
        switch (ops.get().reverify(t.kind(), t.address())) {
            case Reverify.Started s -> {
                audit.record(Requests.actor(ctx), "verification.reverify", t.describe(), "probe started");
                ctx.redirect(back(f) + "?notice=reverify-started", HttpStatus.SEE_OTHER);
            }
            case Reverify.AlreadyRunning a -> {
                audit.record(Requests.actor(ctx), "verification.reverify", t.describe(), "joined the probe already running");
                ctx.redirect(back(f) + "?notice=reverify-running", HttpStatus.SEE_OTHER);
            }
            case Reverify.Refused r -> Problems.answer(ctx, pages, 409, "No probe now: " + r.why(), Map.of());
        }
    }

    private void forgetForm(Context ctx) {
        Form f = Form.body(ctx);
        Target t = target(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "Nothing was forgotten: please correct the address.", f.errors());
            return;
        }
        boolean forgotten = forget(ctx, t);
        ctx.redirect(back(f) + "?notice=" + (forgotten ? "forgotten" : "nothing-cached"), HttpStatus.SEE_OTHER);
    }

    private void forgetProfileForm(Context ctx) {
        String domain = pathDomain(ctx);
        boolean forgotten = forgetProfile(ctx, domain);
        ctx.redirect(PATH + "/domains/" + domain + "?notice=" + (forgotten ? "profile-forgotten" : "no-profile"), HttpStatus.SEE_OTHER);
    }

    /** Deletes the verdict (through the relay when embedded, else in the shared database) and audits what it was. */
    private boolean forget(Context ctx, Target t) {
        Optional<CacheEntry> was = cache.find(t.kind(), t.address());
        boolean forgotten = ops.map(o -> o.forget(t.kind(), t.address())).orElseGet(() -> cache.delete(t.kind(), t.address()));
        String detail = forgotten ? "forgot the cached verdict" + was.map(e -> " " + e.status() + " of " + Html.time(e.checkedAt()) + " UTC").orElse("")
                : "nothing was cached";
        audit.record(Requests.actor(ctx), "verification.forget", t.describe(), detail);
        return forgotten;
    }

    private boolean forgetProfile(Context ctx, String domain) {
        Optional<DomainProfile> was = profiles.find(domain);
        boolean forgotten = profiles.delete(domain);
        String detail = forgotten ? "forgot: " + was.map(p -> p.traits().isEmpty() ? "no trait observed"
                : p.traits().keySet().stream().map(tr -> tr.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))).orElse("")
                : "nothing was known";
        audit.record(Requests.actor(ctx), "verification.profile.forget", domain, detail);
        return forgotten;
    }

    // ---- JSON API ------------------------------------------------------------------------------------------------

    private void apiHistory(Context ctx) {
        Search s = search(Form.query(ctx), Source.ALL);
        if (!s.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", s.form().errors());
            return;
        }
        List<ProbeSummary> rows = probes.search(s.query()).stream().map(ProbeSummary::of).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("probes", rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows);
        body.put("more", rows.size() > s.paging().limit());
        ctx.json(body);
    }

    private void apiProbe(Context ctx) {
        ProbeRecord p = findProbe(ctx);
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("probe", p);
        body.put("cache", cache.find(p.kind(), p.address()).map(e -> CacheView.of(e, now)).orElse(null));
        body.put("profile", p.kind() == CacheKind.SENDER ? profiles.find(p.domain()).map(d -> ProfileView.of(d, profileTtl, now)).orElse(null) : null);
        ctx.json(body);
    }

    private void apiCache(Context ctx) {
        Form f = Form.query(ctx);
        Target t = target(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", t.kind());
        body.put("address", t.address());
        body.put("cache", cache.find(t.kind(), t.address()).map(e -> CacheView.of(e, clock.instant())).orElse(null));
        ctx.json(body);
    }

    private void apiReverify(Context ctx) {
        Form f = Form.json(ctx);
        Target t = target(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid input", f.errors());
            return;
        }
        if (ops.isEmpty()) {
            Problems.answer(ctx, pages, 409, STANDALONE, Map.of());
            return;
        }
        switch (ops.get().reverify(t.kind(), t.address())) {
            case Reverify.Started s -> accepted(ctx, t, "started", "probe started");
            case Reverify.AlreadyRunning a -> accepted(ctx, t, "already_running", "joined the probe already running");
            case Reverify.Refused r -> Problems.answer(ctx, pages, 409, "no probe now: " + r.why(), Map.of());
        }
    }

    private void accepted(Context ctx, Target t, String result, String detail) {
        audit.record(Requests.actor(ctx), "verification.reverify", t.describe(), detail);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", t.kind());
        body.put("address", t.address());
        body.put("result", result);
        ctx.status(202).json(body);
    }

    private void apiForget(Context ctx) {
        Form f = Form.json(ctx);
        Target t = target(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid input", f.errors());
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", t.kind());
        body.put("address", t.address());
        body.put("forgotten", forget(ctx, t));
        ctx.json(body);
    }

    private void apiDomains(Context ctx) {
        Instant now = clock.instant();
        ProfileSearch s = profileSearch(Form.query(ctx), now);
        if (!s.form().ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", s.form().errors());
            return;
        }
        List<DomainProfile> rows = profiles.search(s.query(), s.sort());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domains", (rows.size() > s.paging().limit() ? rows.subList(0, s.paging().limit()) : rows).stream()
                .map(d -> ProfileView.of(d, profileTtl, now)).toList());
        body.put("more", rows.size() > s.paging().limit());
        ctx.json(body);
    }

    /** The order of a domain's cached verdicts: newest check first unless {@code sort} says otherwise. */
    private static Sorting<VerificationCache.Column> cacheSorting(Form f) {
        return Sorting.from(f, VerificationCache.Column.class, VerificationCache.Column.CHECKED, false);
    }

    private static <C extends Enum<C> & greyrelay.db.SortColumn> Sort<C> sort(Sorting<C> s) {
        return new Sort<>(s.column(), s.ascending());
    }

    private void apiDomain(Context ctx) {
        String domain = pathDomain(ctx);
        Form f = Form.query(ctx);
        Sorting<VerificationCache.Column> sorting = cacheSorting(f);
        if (!f.ok()) {
            Problems.answer(ctx, pages, 400, "invalid query", f.errors());
            return;
        }
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain);
        body.put("profile", profiles.find(domain).map(d -> ProfileView.of(d, profileTtl, now)).orElse(null));
        body.put("cache", cache.byDomain(domain, DOMAIN_CACHE_ROWS, 0, sort(sorting)).stream().map(e -> CacheView.of(e, now)).toList());
        body.put("vouching", vouching(domain, now));
        ctx.json(body);
    }

    /** The domain's freeze (from the relay, when the panel runs in one), learned sending networks and vouch tallies. */
    private VouchingView vouching(String domain, Instant now) {
        Instant since = networkMaxAge == null ? Instant.EPOCH : now.minus(networkMaxAge);
        return VouchingView.of(ops.flatMap(o -> o.freeze(domain)).orElse(null), ops.isPresent(),
                vouches.networks(domain, since, DOMAIN_CACHE_ROWS), vouches.tallies(domain));
    }

    private void apiForgetProfile(Context ctx) {
        String domain = pathDomain(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", domain);
        body.put("forgotten", forgetProfile(ctx, domain));
        ctx.json(body);
    }
}
