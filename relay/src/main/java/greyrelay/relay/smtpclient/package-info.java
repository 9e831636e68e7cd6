/**
 * greyrelay's own SMTP client: one bounded conversation with one peer.
 *
 * <p><b>What it does.</b> {@link greyrelay.relay.smtpclient.SmtpClient} connects, reads the greeting, sends EHLO/HELO,
 * STARTTLS, any single command (MAIL, RCPT, RSET, NOOP, QUIT) and DATA with dot-stuffing, and reads replies
 * into {@link greyrelay.relay.smtpclient.ServerReply} values. Every reply in due form, 4xx and 5xx included, is a
 * value; only a conversation that cannot go on is an {@link greyrelay.relay.smtpclient.SmtpClientException}, whose
 * {@code kind()} says why. A {@link greyrelay.relay.smtpclient.Transcript} records the conversation for the probe log.
 *
 * <p><b>Who uses it.</b> The delivery worker (relays queued mail to the downstream MTA, STARTTLS when offered)
 * and the callback prober (EHLO, MAIL FROM:&lt;&gt;, RCPT, RSET, QUIT against strangers' MX hosts, never DATA). It
 * talks only to the address it is given: it does no DNS lookups and no MX selection, and has no configuration
 * of its own; callers build {@link greyrelay.relay.smtpclient.ClientLimits} from theirs.
 *
 * <p><b>Why our own.</b> SubEthaSMTP's {@code SMTPClient} reads reply lines of any length, has hard-coded 5- and
 * 10-minute timeouts and sleeps 50 ms in {@code receiveAndCheck}. An MX host is chosen by whoever
 * forged the sender, so it must not be able to hang a prober thread or make it buffer without bound. Plain
 * {@code java.net} and {@code javax.net.ssl} are enough for the few commands we need.
 *
 * <p><b>What it trusts: nothing the peer sends.</b>
 * <ul>
 *   <li>Each reply has one overall deadline ({@code replyTimeout}, or {@code dataTimeout} after the end of data),
 *       not a per-read timeout: SO_TIMEOUT is set to the time left before every read, and a watchdog closes the
 *       socket at the deadline, which also bounds TLS record reads and writes to a peer that stopped reading.</li>
 *   <li>Lines longer than {@code maxLineLength}, replies with more than {@code maxReplyLines} lines, codes that
 *       are not 200-599, bad separators and multi-line replies whose codes differ end the conversation.
 *       Memory per connection is one 8 KiB buffer plus one reply.</li>
 *   <li>Reply text, and the message of every {@link greyrelay.relay.smtpclient.SmtpClientException} (which may quote
 *       the peer), is kept only with control and format characters replaced (UTF-8 otherwise kept), so it is
 *       safe to log and store; it must still be escaped when shown in HTML.</li>
 *   <li>Commands containing CR, LF or NUL, or longer than 512 octets, are refused before anything is sent.</li>
 *   <li>Plaintext the peer sends after its 220 to STARTTLS is refused (CVE-2011-0411-style injection).</li>
 *   <li>Certificates are checked by the caller's {@link javax.net.ssl.SSLSocketFactory}; the host name only on
 *       request. {@link greyrelay.relay.smtpclient.ClientTls} makes both kinds: unverified (encryption only), or
 *       verified against the JDK's trust store or a PEM file of authorities.</li>
 * </ul>
 *
 * <p><b>Time.</b> Deadlines use {@link java.lang.System#nanoTime()}, not an injected Clock: they bound real
 * waits on real sockets and no decision is made from them. Tests use short limits on loopback.
 *
 * <p><b>Pipelining.</b> {@link greyrelay.relay.smtpclient.SmtpClient#batch} sends a transaction's commands in one write
 * when the peer announced PIPELINING (RFC 2920), else one by one; delivery uses it, the probes do not (they stop at the
 * first answer that settles the address, and a probe is one RCPT anyway).
 *
 * <p><b>Known limits.</b> No BDAT/CHUNKING, AUTH or implicit TLS (port 465). A line ends at LF (a CR
 * before it is dropped), so peers that send bare LF are tolerated. The message passed to {@code data} must already
 * use CRLF: bare CR or LF are sent as they are, only a '.' after an LF is doubled. The SIZE limit is parsed but
 * not enforced here. After any {@code SmtpClientException} the client is closed.
 */
package greyrelay.relay.smtpclient;
