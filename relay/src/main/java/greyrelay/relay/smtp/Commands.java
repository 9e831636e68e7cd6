package greyrelay.relay.smtp;

import greyrelay.relay.policy.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.internal.util.EmailUtils;
import org.subethamail.smtp.server.Session;

/**
 * Our replacements for some of SubEthaSMTP's commands. They use the library's internal command API (the only
 * place that does), because the stock ones cannot do what a relay needs: EHLO must advertise PIPELINING and
 * must not advertise CHUNKING; MAIL must hand SIZE and the path to the policy pipeline; RCPT must answer with its
 * enhanced status code, as MAIL does; DATA must drain the message and reset the transaction after a refusal (the
 * stock one does neither), and must end the session quietly when the client goes away mid-message (the library
 * logs that as a WARN with a stack trace). Every command, ours and the library's, is wrapped to note its verb on the
 * connection, for "lost connection after &lt;verb&gt;", and to time the wait for the next command line
 * ({@link CommandDeadline}). Re-check on library upgrades.
 */
final class Commands {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Commands.class);

    private Commands() {}

    static final String MAIL_OK = "250 2.1.0 Ok";
    static final String RCPT_OK = "250 2.1.5 Ok";

    /** Where a client that leaves after the end of a message was, as Postfix names it. */
    static final String END_OF_MESSAGE = "END-OF-MESSAGE";

    static void install(org.subethamail.smtp.server.SMTPServer server, Map<Session, Connection> connections, long maxSize,
            SmtpMetrics metrics) {
        var handler = server.getCommandHandler();
        handler.addCommand(new Ehlo(connections, maxSize));
        handler.addCommand(new Helo(connections));
        handler.addCommand(new Mail(maxSize));
        handler.addCommand(new Rcpt());
        handler.addCommand(new Data(connections));
        handler.addCommand(new NotImplemented("BDAT"));
        for (String verb : List.copyOf(handler.getVerbs())) handler.addCommand(new Noted(handler.getCommand(verb), connections, metrics));
    }

    /** Notes the verb before the command runs, and whether the command's reply hangs up. */
    static final class Noted implements Command {
        private final Command command;
        private final Map<Session, Connection> connections;
        private final SmtpMetrics metrics;

        Noted(Command command, Map<Session, Connection> connections, SmtpMetrics metrics) {
            this.command = command;
            this.connections = connections;
            this.metrics = metrics;
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException, DropConnectionException {
            Connection c = connections.get(sess);
            if (c != null) {
                c.lastCommand = command.getName();
                c.counted(command.getName());
                c.awaitingSince = Connection.IN_COMMAND;
            }
            try {
                command.execute(commandString, sess);
            } catch (DropConnectionException e) {
                if (c != null) c.hangingUp = true;
                throw e;
            } finally {
                if (c != null && !c.hangingUp) c.awaitingSince = System.nanoTime();
            }
            if (c != null && command.getName().equals("STARTTLS") && sess.getSocket() instanceof SSLSocket ssl) {
                var tls = ssl.getSession();
                LOG.info("{}: TLS connection established from {}: {} with cipher {}", c.id, c.facts().clientLabel(),
                        tls.getProtocol(), tls.getCipherSuite());
                metrics.tls();
            }
        }

        @Override
        public HelpMessage getHelp() throws CommandException {
            return command.getHelp();
        }

        @Override
        public String getName() {
            return command.getName();
        }
    }

    static final class Ehlo extends BaseCommand {
        private final Map<Session, Connection> connections;
        private final long maxSize;

        Ehlo(Map<Session, Connection> connections, long maxSize) {
            super("EHLO", "Introduce yourself.", "<hostname>");
            this.connections = connections;
            this.maxSize = maxSize;
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException {
            String[] args = getArgs(commandString);
            if (args.length != 2) {
                sess.sendResponse("501 5.5.4 Syntax: EHLO hostname");
                return;
            }
            sess.resetMailTransaction();
            sess.setHelo(args[1]);
            Connection c = connections.get(sess);
            if (c != null) c.esmtp = true;
            List<String> ext = new ArrayList<>();
            ext.add(sess.getServer().getHostName());
            ext.add("PIPELINING");
            ext.add("SIZE " + maxSize);
            if (sess.getServer().getEnableTLS() && !(sess.getSocket() instanceof SSLSocket)) ext.add("STARTTLS");
            ext.add("8BITMIME");
            ext.add("SMTPUTF8");
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ext.size(); i++) {
                sb.append("250").append(i == ext.size() - 1 ? ' ' : '-').append(ext.get(i));
                if (i < ext.size() - 1) sb.append("\r\n");
            }
            sess.sendResponse(sb.toString());
        }
    }

    static final class Helo extends BaseCommand {
        private final Map<Session, Connection> connections;

        Helo(Map<Session, Connection> connections) {
            super("HELO", "Introduce yourself.", "<hostname>");
            this.connections = connections;
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException {
            String[] args = getArgs(commandString);
            if (args.length != 2) {
                sess.sendResponse("501 5.5.4 Syntax: HELO hostname");
                return;
            }
            sess.resetMailTransaction();
            sess.setHelo(args[1]);
            Connection c = connections.get(sess);
            if (c != null) c.esmtp = false;
            sess.sendResponse("250 " + sess.getServer().getHostName());
        }
    }

    /** MAIL FROM:&lt;path&gt; [SIZE=n] [BODY=7BIT|8BITMIME] [SMTPUTF8]; the path itself is judged by the pipeline. */
    static final class Mail extends BaseCommand {
        private final long maxSize;

        Mail(long maxSize) {
            super("MAIL", "Specifies the sender.", "FROM: <sender> [ <parameters> ]");
            this.maxSize = maxSize;
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException, DropConnectionException {
            if (sess.isMailTransactionInProgress()) {
                sess.sendResponse("503 5.5.1 Error: nested MAIL command");
                return;
            }
            if (!sess.getHelo().isPresent()) {
                sess.sendResponse("503 5.5.1 Error: send HELO/EHLO first");
                return;
            }
            String args = getArgPredicate(commandString);
            if (!args.regionMatches(true, 0, "FROM:", 0, 5)) {
                sess.sendResponse("501 5.5.4 Syntax: MAIL FROM:<address>");
                return;
            }
            PathAndParams p = PathAndParams.parse(args.substring(5));
            if (p == null) {
                sess.sendResponse("501 5.1.7 Bad sender address syntax");
                return;
            }
            OptionalLong size = OptionalLong.empty();
            for (String param : p.params()) {
                String upper = param.toUpperCase(Locale.ROOT);
                if (upper.startsWith("SIZE=")) {
                    String v = param.substring(5);
                    if (!v.matches("\\d{1,18}")) {
                        sess.sendResponse("501 5.5.4 Bad SIZE parameter");
                        return;
                    }
                    size = OptionalLong.of(Long.parseLong(v));
                } else if (upper.equals("BODY=7BIT") || upper.equals("BODY=8BITMIME") || upper.equals("SMTPUTF8")) {
                    // accepted: we store and relay bytes as they are
                } else {
                    sess.sendResponse("555 5.5.4 Unsupported option: " + ReceivedHeader.clean(param));
                    return;
                }
            }
            sess.setDeclaredMessageSize((int) Math.min(Integer.MAX_VALUE, size.orElse(0)));
            sess.startMailTransaction();
            try {
                ((TransactionHandler) sess.getMessageHandler()).mail(p.path(), size);
            } catch (DropConnectionException ex) {
                sess.resetMailTransaction();
                throw ex;
            } catch (RejectException ex) {
                sess.resetMailTransaction();
                sess.sendResponse(ex.getErrorResponse());
                return;
            }
            sess.sendResponse(MAIL_OK);
        }
    }

    /**
     * RCPT TO:&lt;path&gt; [parameters]: the stock command's checks and replies, word for word, except the accept, which
     * carries its enhanced status code. The address is taken apart by the library's own parser, as before.
     */
    static final class Rcpt extends BaseCommand {
        Rcpt() {
            super("RCPT", "Specifies the recipient. Can be used any number of times.", "TO: <recipient> [ <parameters> ]");
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException, DropConnectionException {
            if (!sess.isMailTransactionInProgress()) {
                sess.sendResponse("503 5.5.1 Error: need MAIL command");
                return;
            }
            int max = sess.getServer().getMaxRecipients();
            if (max >= 0 && sess.getRecipientCount() >= max) {
                sess.sendResponse("452 Error: too many recipients");
                return;
            }
            String args = getArgPredicate(commandString);
            if (!args.toUpperCase(Locale.ENGLISH).startsWith("TO:")) {
                sess.sendResponse("501 Syntax: RCPT TO: <address>  Error in parameters: \"" + args + "\"");
                return;
            }
            String recipient = EmailUtils.extractEmailAddress(args, 3);
            try {
                sess.getMessageHandler().recipient(recipient);
            } catch (DropConnectionException ex) {
                throw ex;
            } catch (RejectException ex) {
                sess.sendResponse(ex.getErrorResponse());
                return;
            }
            sess.addRecipient(recipient);
            sess.sendResponse(RCPT_OK);
        }
    }

    static final class Data extends BaseCommand {
        private final Map<Session, Connection> connections;

        Data(Map<Session, Connection> connections) {
            super("DATA", "Following text is collected as the message.\nEnd data with <CR><LF>.<CR><LF>");
            this.connections = connections;
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException, DropConnectionException {
            if (!sess.isMailTransactionInProgress()) {
                sess.sendResponse("503 5.5.1 Error: need MAIL command");
                return;
            }
            if (sess.getRecipientCount() == 0) {
                sess.sendResponse("503 5.5.1 Error: need RCPT command");
                return;
            }
            TransactionHandler handler = (TransactionHandler) sess.getMessageHandler();
            Reply early = handler.beginData();
            if (early != null) {
                sess.sendResponse(early.line());
                sess.resetMailTransaction();
                return;
            }
            sess.sendResponse("354 End data with <CR><LF>.<CR><LF>");
            InputStream stream = new DataStream(sess.getRawInput());
            TransactionHandler.Outcome outcome;
            try {
                outcome = handler.receive(stream);
                // whatever the verdict, the rest of the message is data, never commands
                byte[] skip = new byte[8192];
                while (stream.read(skip) != -1) {
                    // drain
                }
            } catch (SocketTimeoutException e) {
                throw e; // the library answers 421 and closes
            } catch (IOException e) {
                // the client reset the connection or closed it mid-message: the session ends here, and the session's
                // end says so in one line; quitting keeps the library from answering a dead socket and logging a WARN
                Connection c = connections.get(sess);
                if (c != null) c.lost = true;
                sess.resetMailTransaction();
                sess.quit();
                return;
            }
            Connection c = connections.get(sess);
            if (c != null) c.lastCommand = END_OF_MESSAGE;
            sess.resetMailTransaction();
            if (outcome.disconnect()) throw new DropConnectionException(outcome.reply().code(), outcome.reply().message());
            sess.sendResponse(outcome.reply().line());
        }
    }

    static final class NotImplemented extends BaseCommand {
        NotImplemented(String verb) {
            super(verb, "Not implemented.");
        }

        @Override
        public void execute(String commandString, Session sess) throws IOException {
            sess.sendResponse("502 5.5.1 Error: command not implemented");
        }
    }

    /** The path in angle brackets (or bare) and the ESMTP parameters after it. Null when the brackets are broken. */
    record PathAndParams(String path, List<String> params) {
        static PathAndParams parse(String s) {
            String t = s.stripLeading();
            String path;
            String rest;
            if (t.startsWith("<")) {
                int end = -1;
                boolean quoted = false;
                for (int i = 1; i < t.length(); i++) {
                    char c = t.charAt(i);
                    if (c == '\\' && quoted) {
                        i++;
                    } else if (c == '"') {
                        quoted = !quoted;
                    } else if (c == '>' && !quoted) {
                        end = i;
                        break;
                    }
                }
                if (end < 0) return null;
                path = t.substring(1, end);
                rest = t.substring(end + 1);
                if (!rest.isEmpty() && rest.charAt(0) != ' ') return null;
            } else {
                int sp = t.indexOf(' ');
                path = sp < 0 ? t : t.substring(0, sp);
                rest = sp < 0 ? "" : t.substring(sp);
                if (path.isEmpty()) return null;
            }
            List<String> params = new ArrayList<>();
            for (String p : rest.trim().split(" +")) if (!p.isEmpty()) params.add(p);
            return new PathAndParams(path, params);
        }
    }
}
