package greyrelay.relay.spf;

import greyrelay.db.net.IpNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One parsed {@code v=spf1} record (RFC 7208 §4.5-§6, ABNF in §12). The whole record is checked before anything is
 * evaluated (§4.6: a syntax error anywhere is a permerror, even after a matching mechanism), so evaluation never
 * meets bad syntax.
 */
final class SpfRecord {

    /** The prefix of a record, case-insensitive, followed by a space or the end (§4.5). */
    static boolean isSpf1(String txt) {
        return txt.length() >= 6 && txt.regionMatches(true, 0, "v=spf1", 0, 6) && (txt.length() == 6 || txt.charAt(6) == ' ');
    }

    enum Qualifier {
        PASS(SpfResult.PASS), FAIL(SpfResult.FAIL), SOFTFAIL(SpfResult.SOFTFAIL), NEUTRAL(SpfResult.NEUTRAL);

        final SpfResult result;

        Qualifier(SpfResult result) {
            this.result = result;
        }

        static Optional<Qualifier> of(char c) {
            return switch (c) {
                case '+' -> Optional.of(PASS);
                case '-' -> Optional.of(FAIL);
                case '~' -> Optional.of(SOFTFAIL);
                case '?' -> Optional.of(NEUTRAL);
                default -> Optional.empty();
            };
        }
    }

    sealed interface Mechanism {}

    record All() implements Mechanism {}

    record Include(MacroString target) implements Mechanism {}

    /** {@code target} empty means the current domain. */
    record A(Optional<MacroString> target, int cidr4, int cidr6) implements Mechanism {}

    record Mx(Optional<MacroString> target, int cidr4, int cidr6) implements Mechanism {}

    record Ptr(Optional<MacroString> target) implements Mechanism {}

    record Ip(IpNetwork network) implements Mechanism {}

    record Exists(MacroString target) implements Mechanism {}

    /** A mechanism with its qualifier; {@code text} is the term as written (for logs and headers). */
    record Directive(Qualifier qualifier, Mechanism mechanism, String text) {}

    /** The outcome of parsing: a record, or why it is a permerror. */
    sealed interface Parsed {}

    record Valid(SpfRecord record) implements Parsed {}

    record Invalid(String why) implements Parsed {}

    private static final Pattern MODIFIER = Pattern.compile("([A-Za-z][A-Za-z0-9._-]*)=(.*)", Pattern.DOTALL);
    /** A trailing dual-cidr-length; the lazy head leaves it as long as possible. */
    private static final Pattern WITH_CIDR = Pattern.compile("(.*?)((?:/[0-9]+)?(?://[0-9]+)?)", Pattern.DOTALL);
    private static final Pattern DUAL_CIDR = Pattern.compile("(?:/([0-9]+))?(?://([0-9]+))?");
    private static final Pattern TOPLABEL =
            Pattern.compile("[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*|[A-Za-z0-9]+-[A-Za-z0-9-]*[A-Za-z0-9]");

    private final List<Directive> directives;
    private final Optional<MacroString> redirect;
    private final Optional<MacroString> explanation;

    private SpfRecord(List<Directive> directives, Optional<MacroString> redirect, Optional<MacroString> explanation) {
        this.directives = List.copyOf(directives);
        this.redirect = redirect;
        this.explanation = explanation;
    }

    List<Directive> directives() {
        return directives;
    }

    Optional<MacroString> redirect() {
        return redirect;
    }

    Optional<MacroString> explanation() {
        return explanation;
    }

    /** Parses a record that {@link #isSpf1} accepted. Terms are separated by one or more spaces, nothing else. */
    static Parsed parse(String txt) {
        if (!isSpf1(txt)) return new Invalid("not a v=spf1 record");
        List<Directive> directives = new ArrayList<>();
        Optional<MacroString> redirect = Optional.empty();
        Optional<MacroString> explanation = Optional.empty();
        for (String term : txt.substring(6).split(" ")) {
            if (term.isEmpty()) continue;
            Matcher mod = MODIFIER.matcher(term);
            if (mod.matches()) {
                String name = mod.group(1).toLowerCase(Locale.ROOT);
                String value = mod.group(2);
                switch (name) {
                    case "redirect", "exp" -> {
                        Optional<MacroString> spec = domainSpec(value);
                        if (spec.isEmpty()) return new Invalid("bad domain-spec in " + term);
                        boolean isRedirect = name.equals("redirect");
                        if ((isRedirect ? redirect : explanation).isPresent()) return new Invalid(name + "= appears twice");
                        if (isRedirect) {
                            redirect = spec;
                        } else {
                            explanation = spec;
                        }
                    }
                    default -> {
                        // unknown modifiers are ignored, but their value must still be a valid macro-string (§6)
                        if (MacroString.parse(value, MacroString.Kind.MODIFIER).isEmpty()) {
                            return new Invalid("bad macro-string in modifier " + term);
                        }
                    }
                }
                continue;
            }
            Optional<Directive> directive = directive(term);
            if (directive.isEmpty()) return new Invalid("unknown or malformed mechanism " + term);
            directives.add(directive.get());
        }
        return new Valid(new SpfRecord(directives, redirect, explanation));
    }

    private static Optional<Directive> directive(String term) {
        Optional<Qualifier> explicit = Qualifier.of(term.charAt(0));
        String body = explicit.isPresent() ? term.substring(1) : term;
        Qualifier qualifier = explicit.orElse(Qualifier.PASS);
        int end = 0;
        while (end < body.length() && body.charAt(end) != ':' && body.charAt(end) != '/') end++;
        String name = body.substring(0, end).toLowerCase(Locale.ROOT);
        String rest = body.substring(end);
        Optional<? extends Mechanism> mechanism = switch (name) {
            case "all" -> rest.isEmpty() ? Optional.of(new All()) : Optional.empty();
            case "include" -> requiredSpec(rest).map(Include::new);
            case "exists" -> requiredSpec(rest).map(Exists::new);
            case "ptr" -> rest.isEmpty() ? Optional.of(new Ptr(Optional.empty()))
                    : requiredSpec(rest).map(spec -> new Ptr(Optional.of(spec)));
            case "a", "mx" -> addressMechanism(name, rest);
            case "ip4" -> network(rest, false);
            case "ip6" -> network(rest, true);
            default -> Optional.empty();
        };
        return mechanism.map(m -> new Directive(qualifier, m, term));
    }

    /** {@code ":" domain-spec} with nothing after it. */
    private static Optional<MacroString> requiredSpec(String rest) {
        return rest.startsWith(":") ? domainSpec(rest.substring(1)) : Optional.empty();
    }

    /** a / mx: {@code [":" domain-spec] [dual-cidr-length]}. */
    private static Optional<Mechanism> addressMechanism(String name, String rest) {
        Optional<MacroString> target = Optional.empty();
        String cidr = rest;
        if (rest.startsWith(":")) {
            Matcher m = WITH_CIDR.matcher(rest.substring(1));
            if (!m.matches()) return Optional.empty();
            target = domainSpec(m.group(1));
            if (target.isEmpty()) return Optional.empty();
            cidr = m.group(2);
        }
        Matcher dual = DUAL_CIDR.matcher(cidr);
        if (!dual.matches()) return Optional.empty();
        Optional<Integer> c4 = dual.group(1) == null ? Optional.of(32) : prefix(dual.group(1), 32);
        Optional<Integer> c6 = dual.group(2) == null ? Optional.of(128) : prefix(dual.group(2), 128);
        if (c4.isEmpty() || c6.isEmpty()) return Optional.empty();
        return Optional.of(name.equals("a") ? new A(target, c4.get(), c6.get()) : new Mx(target, c4.get(), c6.get()));
    }

    /** ip4: / ip6: {@code ":" network ["/" prefix]}; the network never contains a slash. */
    private static Optional<Mechanism> network(String rest, boolean ip6) {
        if (!rest.startsWith(":")) return Optional.empty();
        String value = rest.substring(1);
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        int max = ip6 ? 128 : 32;
        Optional<Integer> prefix = slash < 0 ? Optional.of(max) : prefix(value.substring(slash + 1), max);
        if (prefix.isEmpty()) return Optional.empty();
        // an IPv4-mapped ip6: network stays IPv6, so it never matches an IPv4 client
        Optional<IpNetwork> network = ip6 ? IpNetwork.ipv6(address, prefix.get()) : IpNetwork.ipv4(address, prefix.get());
        return network.map(Ip::new);
    }

    /** A CIDR length: digits without a leading zero (the suite reads §5.6 so), at most {@code max}. */
    private static Optional<Integer> prefix(String digits, int max) {
        if (digits.isEmpty() || digits.length() > 3 || (digits.length() > 1 && digits.charAt(0) == '0')) return Optional.empty();
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') return Optional.empty();
        }
        int v = Integer.parseInt(digits);
        return v <= max ? Optional.of(v) : Optional.empty();
    }

    /**
     * domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand (§7.1). Checked on
     * the text as written: what a macro expands to is not syntax-checked (it is looked up, or found malformed then).
     */
    static Optional<MacroString> domainSpec(String text) {
        Optional<MacroString> parsed = MacroString.parse(text, MacroString.Kind.DOMAIN);
        if (parsed.isEmpty() || parsed.get().isEmpty()) return Optional.empty();
        if (parsed.get().endsWithMacro()) return parsed;
        String name = DomainNames.withoutRootDot(text);
        // "%{d}." is read leniently as a macro followed by the root dot
        if (MacroString.parse(name, MacroString.Kind.DOMAIN).map(MacroString::endsWithMacro).orElse(false)) return parsed;
        int dot = name.lastIndexOf('.');
        if (dot < 0) return Optional.empty();
        return TOPLABEL.matcher(name.substring(dot + 1)).matches() ? parsed : Optional.empty();
    }
}
