package greyrelay.relay.policy;

import greyrelay.relay.address.Sender;
import greyrelay.relay.text.SafeText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One envelope: MAIL FROM to end of DATA (or RSET). Its id is {@code <session>.<n>}, as Haraka numbers
 * transactions. Checks add trace headers here ({@code X-Greylist}, {@code Received-SPF}); they are put on
 * top of the delivered message, at most one of each name. Authentication results ({@link AuthResult}, one per
 * method) are collected here too and rendered as one {@code Authentication-Results:} header at the end of DATA.
 * What one check learns for later checks of the same transaction is in {@link #facts()}.
 */
public final class Transaction {
    private final String id;
    private final Sender sender;
    private final OptionalLong declaredSize;
    private final List<Recipient> recipients = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, AuthResult> authResults = new LinkedHashMap<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();
    private final TransactionFacts facts = new TransactionFacts();

    public Transaction(String id, Sender sender, OptionalLong declaredSize) {
        this.id = id;
        this.sender = sender;
        this.declaredSize = declaredSize;
    }

    public String id() {
        return id;
    }

    public Sender sender() {
        return sender;
    }

    public OptionalLong declaredSize() {
        return declaredSize;
    }

    /** Typed facts checks leave for later checks of this transaction, each set once. */
    public TransactionFacts facts() {
        return facts;
    }

    public List<Recipient> recipients() {
        return List.copyOf(recipients);
    }

    public void addRecipient(Recipient r) {
        recipients.add(r);
    }

    /** Adds a trace header once per name; the first check to set it wins. Value is one logical line, no CR/LF. */
    public void addHeaderOnce(String name, String value) {
        headers.putIfAbsent(name, SafeText.printable(value));
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public List<Map.Entry<String, String>> headersInOrder() {
        return List.copyOf(headers.entrySet());
    }

    /** Adds an authentication result once per method (case-insensitive); the first check to set it wins. */
    public void addAuthResult(AuthResult result) {
        authResults.putIfAbsent(result.method().toLowerCase(java.util.Locale.ROOT), result);
    }

    /** The authentication results in the order they were added. */
    public List<AuthResult> authResults() {
        return List.copyOf(authResults.values());
    }

    /**
     * Notes why a check let {@code recipient} (its address as accepted) through, e.g. {@code greylist: passed after
     * 312 s}; they end up in the reason of that recipient's "queued" decision-log row. One line, no CR/LF.
     */
    public void note(String recipient, String text) {
        notes.computeIfAbsent(recipient.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(SafeText.printable(text));
    }

    public List<String> notes(String recipient) {
        return List.copyOf(notes.getOrDefault(recipient.toLowerCase(java.util.Locale.ROOT), List.of()));
    }
}
