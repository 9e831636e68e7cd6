/**
 * How the relay's log looks: {@code logging.level} and {@code logging.format} applied to Logback at start.
 *
 * <p>Logback stays the only logging backend (its {@code logback.xml} in the jar gives the text line: time, level,
 * {@code [session or queue id]}, logger, message). {@code logging.format: json} swaps that line's encoder for
 * {@link greyrelay.relay.logs.JsonLineEncoder}: one JSON object per event with the same fields, so a log shipper needs
 * no pattern. Our own encoder rather than Logback's {@code JsonEncoder}, whose objects carry Logback's internals
 * (sequence numbers, context maps, raw argument arrays) instead of the fields an operator reads in the text line.
 * Text from clients is already made printable by the code that logs it ({@code text.SafeText}); the JSON writer escapes
 * whatever remains.
 *
 * <p>Configuration keys: {@code logging.level}, {@code logging.format}.
 */
package greyrelay.relay.logs;
