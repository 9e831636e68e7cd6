/**
 * Envelope addresses as values: {@link greyrelay.relay.address.Mailbox} (plain {@code local@domain}) and
 * {@link greyrelay.relay.address.Sender} (null sender or mailbox). Parsing is strict and total: text from the
 * client either becomes a valid value or is refused ({@code 501 5.1.7} at MAIL, {@code 554 5.7.1} at RCPT);
 * a value never carries CR, LF, NUL or other control characters (C1 included), nor format characters that hide or
 * reorder text (bidi overrides), so nothing built from it can inject lines or terminal escapes into a log, a header
 * or a probe conversation.
 */
package greyrelay.relay.address;
