package greyrelay.relay.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import greyrelay.relay.address.Sender;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The envelope as the spool stores it: one flat JSON object, the same since the first release. {@link Envelope} groups
 * its fields for the code; the file keeps them flat so that a spool written by any earlier version is still read, and
 * delivered, after an upgrade. Change a field here only with a fixture of the old form in the tests.
 *
 * <p>Fields added later ({@code node}) are optional: a file without them reads as null. Unknown fields are ignored, so a spool written by a newer version is still delivered after a downgrade: acknowledged
 * mail is never refused over a format detail.
 */
final class EnvelopeFormat {
    private static final ObjectMapper JSON = mapper();

    private EnvelopeFormat() {}

    /** The stored form; field names and order are the format. {@code sender} is "" for the null sender. */
    record Stored(
            String id,
            String sender,
            List<RecipientState> recipients,
            Instant receivedAt,
            String clientAddress,
            String helo,
            String sessionId,
            long size,
            Envelope.Kind kind,
            Instant nextAttempt,
            Instant deadline,
            int attempts,
            String lastError,
            List<String> traceHeaders,
            // added with node.name: left out when unknown, so an envelope of an old spool is written back byte for byte
            @JsonInclude(JsonInclude.Include.NON_NULL) String node) {}

    static byte[] write(Envelope e) throws IOException {
        return JSON.writeValueAsBytes(switch (e.arrival().origin()) {
            case Envelope.Origin.Smtp from -> stored(e, from.clientAddress(), from.helo(), from.sessionId());
            case Envelope.Origin.Notification n -> stored(e, null, null, null);
        });
    }

    private static Stored stored(Envelope e, String clientAddress, String helo, String sessionId) {
        Envelope.Schedule s = e.schedule();
        return new Stored(e.id().value(), e.sender().toString(), e.recipients(), e.arrival().at(), clientAddress, helo, sessionId,
                e.arrival().size(), e.kind(), s.nextAttempt(), s.deadline(), s.attempts(), s.lastError(), e.arrival().traceHeaders(),
                e.arrival().node());
    }

    static Envelope read(byte[] json) throws IOException {
        Stored s = JSON.readValue(json, Stored.class);
        Sender sender = Sender.parse(s.sender() == null ? "" : s.sender())
                .orElseThrow(() -> new IOException("not a sender address: " + s.sender()));
        Envelope.Origin origin = s.kind() == Envelope.Kind.DSN ? new Envelope.Origin.Notification()
                : new Envelope.Origin.Smtp(s.clientAddress(), s.helo(), s.sessionId());
        try {
            return new Envelope(new QueueId(s.id()), sender, s.recipients() == null ? List.of() : s.recipients(),
                    new Envelope.Arrival(s.receivedAt(), origin, s.size(), s.traceHeaders(), s.node()),
                    new Envelope.Schedule(s.attempts(), s.nextAttempt(), s.deadline(), s.lastError()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("incomplete envelope: " + e.getMessage(), e);
        }
    }

    private static ObjectMapper mapper() {
        SimpleModule m = new SimpleModule("greyrelay-spool");
        m.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        m.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        return JsonMapper.builder().addModule(m)
                .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }
}
