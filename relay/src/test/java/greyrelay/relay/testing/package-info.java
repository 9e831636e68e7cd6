/**
 * The relay's test doubles: fakes of its peers that speak the real protocol on loopback, never mocks of our classes.
 *
 * <ul>
 *   <li>{@link greyrelay.relay.testing.FakeDnsServer}: a DNS responder (dnsjava messages over UDP and TCP on
 *       127.0.0.1), told what to answer, able to fail and time out, and strict about queries it was not told about.</li>
 *   <li>{@link greyrelay.relay.testing.ScriptedMx}: a scripted MX for probes, recording each connection's transcript;
 *       {@link greyrelay.relay.testing.RawSmtpPeer}: a byte-exact, possibly hostile, SMTP peer for the client's tests;
 *       {@link greyrelay.relay.testing.DownstreamSink}: the MTA behind the relay, recording what it accepts.</li>
 *   <li>{@link greyrelay.relay.testing.PostfixInstance}: a throwaway real Postfix (needs root and Postfix), for
 *       PostfixPolicyIT and the Postfix reference benchmark.</li>
 *   <li>{@link greyrelay.relay.testing.RelayHarness}: a whole relay on port 0 over H2 in a temporary folder with these
 *       peers; {@link greyrelay.relay.testing.SmtpConversation}: a client that expects whole replies;
 *       {@link greyrelay.relay.testing.GoldenTranscript}: replays the transcripts of
 *       {@code src/test/resources/transcripts/}.</li>
 *   <li>{@link greyrelay.relay.testing.TestClock} (time moves only when a test moves it),
 *       {@link greyrelay.relay.testing.SelfSignedTls}, {@link greyrelay.relay.testing.Examples} (names on RFC 2606
 *       domains and RFC 5737 addresses only), {@link greyrelay.relay.testing.CapturedLog} (log events a test reads
 *       while relay threads still log).</li>
 * </ul>
 *
 * <p>Must not: reach the network beyond loopback, or sleep to let time pass. Everything binds port 0, except a
 * {@link greyrelay.relay.testing.ScriptedMx} for a relay in another process ({@link greyrelay.relay.testing.RelayProcess}):
 * it has no probe seam, so its MXs share one free port ({@code verification.probePort}) on distinct loopback addresses.
 */
package greyrelay.relay.testing;
