package greyrelay.relay.hygiene;

import greyrelay.relay.config.HygieneConfig;
import greyrelay.relay.policy.Check;
import greyrelay.relay.policy.Exemption;
import greyrelay.relay.policy.PolicyRequest;
import greyrelay.relay.policy.Replies;
import greyrelay.relay.policy.Verdict;
import java.util.Optional;

/**
 * {@code helo} at RCPT (the library has no HELO hook, and like Postfix's {@code smtpd_delay_reject} we answer at RCPT so the
 * decision log has sender and recipient): an invalid HELO name ({@code 501 5.5.2}), one not fully qualified
 * ({@code 504 5.5.2}) or one claiming to be us ({@code 554 5.7.1}), each switchable. Skipped for recipients exempt
 * from {@link Exemption#HELO_CHECKS}.
 */
public final class HeloCheck implements Check<PolicyRequest.Rcpt> {
    private final HeloPolicy policy;
    private final HygieneConfig config;

    public HeloCheck(HeloPolicy policy, HygieneConfig config) {
        this.policy = policy;
        this.config = config;
    }

    @Override
    public String name() {
        return "helo";
    }

    @Override
    public Verdict evaluate(PolicyRequest.Rcpt r) {
        if (r.exempt(Exemption.HELO_CHECKS)) return Verdict.CONTINUE;
        Optional<String> helo = r.session().helo();
        if (helo.isEmpty()) return Verdict.CONTINUE; // the SMTP layer refuses MAIL before HELO
        String name = helo.get();
        return switch (policy.classify(name, r.session().clientAddress())) {
            case FINE -> Verdict.CONTINUE;
            case INVALID -> config.rejectInvalidHelo()
                    ? new Verdict.Reject(Replies.heloInvalid(name), "HELO is neither a host name nor an address literal")
                    : Verdict.CONTINUE;
            case NOT_FQDN -> config.rejectNonFqdnHelo()
                    ? new Verdict.Reject(Replies.heloNotFqdn(name), "HELO is not a fully-qualified host name")
                    : Verdict.CONTINUE;
            case OURS -> config.rejectOurHelo()
                    ? new Verdict.Reject(Replies.heloIsOurs(name), "HELO claims our host name or address")
                    : Verdict.CONTINUE;
        };
    }
}
