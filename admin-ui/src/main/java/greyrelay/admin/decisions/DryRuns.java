package greyrelay.admin.decisions;

import greyrelay.db.decision.Outcome;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * "Why would this be deferred?": the question the decisions page answers after the fact, asked before it. admin-ui
 * declares it; the relay implements it over its check table (a dry run that writes nothing) and hands it to the API
 * ({@code AdminApp.builder(…).dryRuns(d)}); {@code POST /api/decisions/check}, {@code greyrelay check}. A panel running
 * alone ({@code greyrelay admin}) has none. Answers in the decision log's words: phase, check, outcome, reply, reason.
 */
public interface DryRuns {
    /**
     * One client's mail.
     *
     * @param sender    the reverse path, {@code ""} for the null sender
     * @param recipient the forward path
     * @param probe     callback verification may probe what its cache does not know (a real probe)
     */
    record Request(InetAddress client, Optional<String> helo, String sender, String recipient, Optional<Long> size, boolean probe) {}

    /**
     * One check as it ran: {@code outcome} is null when it let the mail go on (then {@code reason} is what it noted,
     * if anything), ACCEPTED when it accepted the recipient; {@code observe}: the check runs in observe mode, so its
     * answer was only recorded and the mail went on.
     */
    record Step(String phase, String checkName, Outcome outcome, boolean observe, Integer replyCode, String replyText,
            String reason) {}

    /**
     * The reply the client would get, where ({@code phase}) and from which check ({@code checkName}, null when none
     * answered: accepted, or refused by the SMTP layer itself), with every check that ran.
     */
    record Answer(String phase, String checkName, Outcome outcome, int replyCode, String replyText, String reason,
            List<Step> steps) {}

    Answer check(Request request);
}
