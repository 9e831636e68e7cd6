/**
 * Text from strangers made safe for logs and storage: {@link greyrelay.relay.text.SafeText}, the one helper.
 *
 * <p>Who uses it: the SMTP client (remote replies and transcripts), the policy replies and decision lines, the
 * listener, the queue and verification logs: every place where a HELO name, an address or a remote server's reply
 * meets a log line. Trusts nothing; keeps printable UTF-8, replaces control and format characters with {@code ?}.
 * It does not escape HTML: the admin panel's templates do that.
 */
package greyrelay.relay.text;
