package greyrelay.relay.smtp;

import greyrelay.relay.policy.Reply;
import greyrelay.relay.policy.Verdict;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;

/** The one place where a verdict becomes what SubEthaSMTP sends. */
final class VerdictReplies {
    private VerdictReplies() {}

    /** Returns normally for Continue and Accept; otherwise throws what makes the library answer (and maybe hang up). */
    static void raise(Verdict verdict) throws RejectException {
        switch (verdict) {
            case Verdict.Continue c -> { }
            case Verdict.Accept a -> { }
            case Verdict.Defer d -> throw reject(d.reply());
            case Verdict.Reject r -> throw reject(r.reply());
            case Verdict.Disconnect d -> throw new DropConnectionException(d.reply().code(), d.reply().message());
        }
    }

    static RejectException reject(Reply reply) {
        return new RejectException(reply.code(), reply.message());
    }
}
