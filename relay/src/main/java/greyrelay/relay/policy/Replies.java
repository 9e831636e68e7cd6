package greyrelay.relay.policy;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The SMTP reply contract (docs/replies.md), one constant or factory per situation, worded as Postfix words them.
 * Tests quote these, so code and tests never drift apart.
 */
public final class Replies {
    private Replies() {}

    public static Reply relayDenied(String rcpt) {
        return new Reply(554, "5.7.1", "<" + rcpt + ">: Relay access denied");
    }

    public static Reply userUnknown(String rcpt) {
        return new Reply(550, "5.1.1", "<" + rcpt + ">: Recipient address rejected: User unknown");
    }

    public static Reply recipientVerificationTempFail(String rcpt) {
        return new Reply(451, "4.4.3", "<" + rcpt + ">: Recipient address verification failed temporarily, try again later");
    }

    /** The default of {@code greylist.text}. */
    public static final String GREYLISTED_TEXT = "Greylisted, please try again in %s seconds";

    public static Reply greylisted(long seconds) {
        return new GreylistedText(GREYLISTED_TEXT).reply(seconds, "");
    }

    /**
     * {@code greylist.text} (postgrey's {@code --greylist-text}): the text of {@link #greylisted}; {@code %s} the seconds
     * left, {@code %r} the recipient's domain, {@code %%} a percent sign.
     */
    public record GreylistedText(String template) {
        public Reply reply(long seconds, String recipientDomain) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                if (c == '%' && i + 1 < template.length()) {
                    char n = template.charAt(++i);
                    switch (n) {
                        case 's' -> b.append(seconds);
                        case 'r' -> b.append(recipientDomain);
                        default -> b.append(n);
                    }
                } else {
                    b.append(c);
                }
            }
            return new Reply(451, "4.7.1", b.toString());
        }
    }

    public static Reply clientTrapped(InetAddress client) {
        return new Reply(451, "4.7.1", "Client host [" + addr(client) + "] temporarily blocked");
    }

    public static Reply dnsblRejected(InetAddress client, String list) {
        return new Reply(554, "5.7.1", "Service unavailable; client [" + addr(client) + "] blocked using " + list);
    }

    /** A DNSBL with action {@code defer}: the same words as the reject, as a temporary failure at RCPT. */
    public static Reply dnsblDeferred(InetAddress client, String list) {
        return new Reply(451, "4.7.1", "Service unavailable; client [" + addr(client) + "] blocked using " + list);
    }

    public static final Reply PROTOCOL_ERROR = new Reply(554, "5.5.1", "Protocol error");

    public static Reply heloInvalid(String helo) {
        return new Reply(501, "5.5.2", "<" + helo + ">: Helo command rejected: Invalid name");
    }

    public static Reply heloNotFqdn(String helo) {
        return new Reply(504, "5.5.2", "<" + helo + ">: Helo command rejected: need fully-qualified hostname");
    }

    public static Reply heloIsOurs(String helo) {
        return new Reply(554, "5.7.1", "<" + helo + ">: Helo command rejected: Host name is ours");
    }

    public static final Reply BAD_SENDER_SYNTAX = new Reply(501, "5.1.7", "Bad sender address syntax");

    public static Reply senderDomainNotFound(String sender) {
        return new Reply(450, "4.1.8", "<" + sender + ">: Sender address rejected: Domain not found");
    }

    public static Reply senderNullMx(String sender) {
        return new Reply(550, "5.7.27", "<" + sender + ">: Sender domain does not accept mail");
    }

    public static Reply spfFail(String sender) {
        return new Reply(550, "5.7.23", "<" + sender + ">: SPF validation failed");
    }

    public static Reply spfTempError(String sender) {
        return new Reply(451, "4.7.24", "<" + sender + ">: SPF validation error, try again later");
    }

    /** SPF fail (or another negative result) where the site chose to defer rather than reject (RFC 7372 X.7.23). */
    public static Reply spfFailDeferred(String sender) {
        return new Reply(451, "4.7.23", "<" + sender + ">: SPF validation failed, try again later");
    }

    /** SPF permerror where the site chose to reject (RFC 7372 X.7.24). */
    public static Reply spfPermError(String sender) {
        return new Reply(550, "5.7.24", "<" + sender + ">: SPF validation error");
    }

    public static Reply senderUndeliverableTemporarily(String sender) {
        return new Reply(451, "4.1.7", "<" + sender + ">: Sender address rejected: undeliverable address");
    }

    public static Reply senderUndeliverable(String sender) {
        return new Reply(550, "5.1.7", "<" + sender + ">: Sender address rejected: undeliverable address");
    }

    public static Reply senderVerificationTempFail(String sender) {
        return new Reply(451, "4.4.3", "<" + sender + ">: Sender address verification failed temporarily, try again later");
    }

    public static Reply probeBudgetExhausted(String domain) {
        return new Reply(451, "4.4.5", "Too many verifications pending for " + domain + ", try again later");
    }

    public static Reply tooManyConnections(String hostname, InetAddress client) {
        return new Reply(421, "4.7.0", hostname + " Error: too many connections from [" + addr(client) + "]");
    }

    /**
     * A PROXY protocol header from a peer outside {@code smtp.proxyProtocolTrusted}, before the banner; then the
     * connection is closed. {@code client} is the real TCP peer, never the address the header claims.
     */
    public static Reply proxyRefused(String hostname, InetAddress client) {
        return new Reply(421, "4.7.0", hostname + " Error: PROXY header not accepted from [" + addr(client) + "]");
    }

    public static final Reply RATE_LIMITED = new Reply(451, "4.7.1", "Rate limit exceeded, try again later");

    public static final Reply MESSAGE_TOO_LARGE = new Reply(552, "5.3.4", "Message size exceeds fixed limit");

    /**
     * End of DATA: a header line or field (with its continuation lines) longer than 64 KiB, which could not be examined
     * for forged trace fields; refused rather than passed unexamined.
     */
    public static final Reply HEADER_FIELD_TOO_LONG = new Reply(552, "5.6.0", "Message header field too long");

    public static final Reply TOO_MANY_HOPS = new Reply(554, "5.4.6", "Too many hops");

    public static final Reply LOCAL_PROBLEM = new Reply(451, "4.3.0", "Temporary local problem, try again later");

    public static Reply queued(String queueId) {
        return new Reply(250, "2.0.0", "Ok: queued as " + queueId);
    }

    private static String addr(InetAddress a) {
        String s = a.getHostAddress();
        int pct = s.indexOf('%');
        if (pct >= 0) s = s.substring(0, pct);
        return a instanceof Inet6Address ? "IPv6:" + s : s;
    }
}
