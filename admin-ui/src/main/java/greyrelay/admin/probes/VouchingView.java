package greyrelay.admin.probes;

import greyrelay.db.verify.LearnedNetwork;
import greyrelay.db.verify.VouchTally;
import java.util.List;

/**
 * Vouching on a domain's page: the burst freeze (only known when the panel runs inside a relay, and per node), the
 * networks its verified mail came from (shared by nodes; within {@code greylist.maxAge} when the panel knows it) and
 * how many of its senders were accepted without a probe, by reason.
 */
public record VouchingView(Freeze freeze, boolean freezeKnown, List<LearnedNetwork> networks, List<VouchTally> vouched,
        long vouchedTotal) {
    public VouchingView {
        networks = List.copyOf(networks);
        vouched = List.copyOf(vouched);
    }

    static VouchingView of(Freeze freeze, boolean freezeKnown, List<LearnedNetwork> networks, List<VouchTally> vouched) {
        return new VouchingView(freeze, freezeKnown, networks, vouched, vouched.stream().mapToLong(VouchTally::vouched).sum());
    }

    /** The tally's reason as the decision log words it. */
    public static String label(String reason) {
        return switch (reason) {
            case "spf" -> "vouched by SPF";
            case "known-network" -> "vouched by known network";
            default -> reason;
        };
    }
}
