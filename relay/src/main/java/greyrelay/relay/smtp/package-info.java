/**
 * The SMTP listener: SubEthaSMTP on virtual threads, one per connection, turned into a relay. This is the only package
 * that imports the SMTP library.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link greyrelay.relay.smtp.SmtpListener}: builds the library's server (the only class that does), installs our
 *       commands, stops gracefully (new connections hear {@code 421 4.3.2}, transactions get {@code smtp.shutdownGrace}).</li>
 *   <li>{@code ConnectGate}: registers each connection ({@link greyrelay.relay.smtp.ConnectionCounter}, this node's open
 *       connections, offered to the checks as {@code policy.OpenConnections}), runs the connect checks, refuses before
 *       the banner (and switches Nagle's algorithm off first: a pipelining client would otherwise wait for delayed ACKs between
 *       our replies); at the end, one line for a client that left without QUIT ({@code lost connection after DATA from
 *       [ip]}). {@code BannerProbe} is the pre-greeting test's mechanics ({@code policy.GreetingProbe}).</li>
 *   <li>{@code Commands}: our EHLO (PIPELINING, no CHUNKING), HELO, MAIL (SIZE and the path to the pipeline), RCPT
 *       ({@code 250 2.1.5}), DATA (drains and resets after a refusal) and BDAT (not implemented), through the library's
 *       internal command API; re-check them on a library upgrade.</li>
 *   <li>{@code TransactionHandler}: one per MAIL; asks the pipeline at MAIL, each RCPT and the end of DATA, spools the
 *       message, builds the trace headers ({@link greyrelay.relay.smtp.AuthenticationResults}, the checks' headers,
 *       {@code Received}) and answers {@code 250} only after {@code Spool.commit}. {@code VerdictReplies} is the one
 *       place a verdict becomes what the library sends.</li>
 *   <li>{@code DataStream}: the DATA text up to the "." line, dot-unstuffed, read in blocks from the session's buffered
 *       input without taking the commands pipelined after it.</li>
 *   <li>{@code MessageReader}: copies DATA into the spool: CRLF normalisation (no end-of-data can be smuggled
 *       downstream), the size limit (read on, store no more), {@code Received:} counting, forged trace headers dropped.</li>
 *   <li>{@link greyrelay.relay.smtp.TlsContexts} (STARTTLS from PEM files), {@link greyrelay.relay.smtp.DemoInbox}
 *       ({@code greyrelay demo}'s downstream).</li>
 * </ul>
 *
 * <h2>Talks to, trusts</h2>
 * The SMTP client on one side; {@code policy.Pipeline}, {@code queue.Spool} and the queue (through
 * {@link greyrelay.relay.smtp.SmtpServices}) on the other. Trusts nothing the client sends: commands, paths, HELO names,
 * parameters and the message are data; anything echoed in a reply, a log line or a header is made printable first,
 * and a line that breaks SMTP's rules (bare CR or LF, not UTF-8, too long) ends the session. The client address is the
 * TCP peer's, or with {@code smtp.proxyProtocol} what the PROXY header says: turn that on only behind a load balancer
 * that always sends one.
 *
 * <h2>Must not</h2>
 * Decide policy: every refusal comes from the pipeline, except the protocol's own (order, syntax) and failing closed
 * (a path no check refused that is still not an address is refused). Answer {@code 250} before the message and its
 * envelope are durable. Read the rest of a refused message as commands. Be imported by a check or a feature: it
 * depends on {@code policy} and {@code queue}, never the other way round.
 *
 * <h2>Known limits</h2>
 * No BDAT/CHUNKING, no AUTH, no implicit TLS (port 465). Some replies are the library's own wording (NOOP, RSET, VRFY,
 * unknown commands, timeouts: docs/replies.md lists them, and a golden transcript pins them). The library's own
 * connection limit is a backstop at {@code smtp.maxConnections} + 10; our {@code connection-limit} check answers
 * first. {@code smtp.commandTimeout} bounds each command line as a whole ({@code CommandDeadline}: the library's
 * socket read timeout alone is reset by every byte), but message content only byte to byte: a client sending its
 * message a byte per timeout holds its connection, within the connection limits. The accept loop is the library's
 * (one platform thread: accept, build the session, hand it to a virtual thread); everything else, our connect checks
 * included, runs on the session's thread. Its listen backlog is {@code smtp.listenBacklog}, capped by the kernel at
 * {@code net.core.somaxconn}.
 *
 * <h2>Configuration</h2>
 * {@code smtp.bind}, {@code smtp.port}, {@code smtp.hostname} (banner, EHLO, {@code Received}, authserv-id),
 * {@code smtp.maxMessageSize}, {@code smtp.maxRecipients}, {@code smtp.maxConnections}, {@code smtp.listenBacklog},
 * {@code smtp.commandTimeout}, {@code smtp.proxyProtocol}, {@code smtp.tls.*}, {@code smtp.shutdownGrace};
 * {@code queue.maxLifetime} (the deadline written into each envelope). See docs/replies.md for every reply, docs/architecture.md for a session's life.
 */
package greyrelay.relay.smtp;
