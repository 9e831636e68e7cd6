package greyrelay.relay.greylist;

import greyrelay.relay.address.Mailbox;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real sender keeps one triplet: the per-message parts of a sender address are collapsed before it becomes
 * part of a triplet key. In this order (after lower-casing the whole address):
 *
 * <ol>
 *   <li>BATV tags are removed: {@code prvs=KDDDSSSSSS=local} and {@code prvs=local=KDDDSSSSSS} (K a digit, DDD three
 *       digits, SSSSSS six hex digits), {@code msprvs1=TAG=local} and {@code btv1==HEX==local} become {@code local}.</li>
 *   <li>SRS is undone: {@code SRS0=HHH=TT=domain=local@forwarder} and
 *       {@code SRS1=HHH=forwarder==HHH=TT=domain=local@forwarder2} (separator {@code =}, {@code +} or {@code -} after
 *       {@code SRS0}/{@code SRS1}) become the original {@code local@domain}, which then goes through these steps
 *       again from step 1.</li>
 *   <li>An extension is dropped: everything from the first {@code +} of the local part (not at its start), so
 *       {@code jane+news@} and VERP such as {@code list-bounces+john=example.com@} keep one key.</li>
 *   <li>Per-message tokens are replaced by {@code #}: a token is a maximal run of letters and digits in the local
 *       part; it is collapsed when it is all digits ({@code bounce-1234@} → {@code bounce-#@}), or when it has four
 *       or more characters, all hexadecimal, at least one of them a digit (message ids, hashes, UUID groups).</li>
 * </ol>
 *
 * <p>The domain is only lower-cased. A quoted local part is only lower-cased. Nothing here makes two different
 * real senders collide except by those rules (for example {@code jane.2026@} and {@code jane.2027@}); such a
 * collision only means a pass of one counts for the other from the same client network to the same recipient.
 */
final class SenderNormalisation {
    private static final Pattern BATV_TAG_FIRST = Pattern.compile("prvs=[0-9][0-9]{3}[0-9a-f]{6}=(.+)");
    private static final Pattern BATV_TAG_LAST = Pattern.compile("prvs=(.+)=[0-9][0-9]{3}[0-9a-f]{6}");
    private static final Pattern MSPRVS = Pattern.compile("msprvs1=[0-9a-z_-]+=(.+)");
    private static final Pattern BTV1 = Pattern.compile("btv1==[0-9a-f]+==(.+)");
    private static final Pattern SRS0 = Pattern.compile("srs0[=+-][^=]+=[^=]+=([^=]+)=(.+)");
    private static final Pattern SRS1 = Pattern.compile("srs1[=+-][^=]+=[^=]+=[=+-][^=]+=[^=]+=([^=]+)=(.+)");
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]+");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{4,}");

    private SenderNormalisation() {}

    static String normalise(Mailbox sender) {
        String local = sender.localPart().toLowerCase(Locale.ROOT);
        String domain = sender.domain();
        if (local.startsWith("\"")) return local + "@" + domain;
        local = stripBatv(local);
        for (Pattern srs : new Pattern[] {SRS1, SRS0}) {
            Matcher m = srs.matcher(local);
            if (m.matches() && m.group(1).indexOf('.') > 0) {
                domain = m.group(1);
                local = stripBatv(m.group(2));
                break;
            }
        }
        int plus = local.indexOf('+');
        if (plus > 0) local = local.substring(0, plus);
        return collapseTokens(local) + "@" + domain;
    }

    private static String stripBatv(String local) {
        for (Pattern p : new Pattern[] {BATV_TAG_FIRST, BATV_TAG_LAST, MSPRVS, BTV1}) {
            Matcher m = p.matcher(local);
            if (m.matches()) return m.group(1);
        }
        return local;
    }

    private static String collapseTokens(String local) {
        Matcher m = TOKEN.matcher(local);
        StringBuilder out = new StringBuilder(local.length());
        while (m.find()) {
            String t = m.group();
            boolean perMessage = t.chars().allMatch(Character::isDigit)
                    || (HEX.matcher(t).matches() && t.chars().anyMatch(Character::isDigit));
            m.appendReplacement(out, perMessage ? "#" : Matcher.quoteReplacement(t));
        }
        m.appendTail(out);
        return out.toString();
    }
}
