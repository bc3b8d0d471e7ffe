package dev.tagpurge.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tagpurge.config.Channels;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Writes each {@link AuditRecord} as one JSON line to the log (category {@code
 * dev.tagpurge.admin.audit}) and to the audit topic ({@code tagpurge.audit.topic}, channel {@value
 * Channels#AUDIT}), keyed by its id. A record the broker refuses is logged as an error; the log
 * line is written first, so no request goes unaudited because the broker is down.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger AUDIT = Logger.getLogger("dev.tagpurge.admin.audit");

    private final Emitter<String> topic;
    private final ObjectMapper json;

    public AuditLog(@Channel(Channels.AUDIT) Emitter<String> topic, ObjectMapper json) {
        this.topic = topic;
        this.json = json;
    }

    public void write(AuditRecord record) {
        String line;
        try {
            line = json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            AUDIT.errorf(e, "audit record %s not serializable", record.id());
            return;
        }
        AUDIT.infof("audit %s", line);
        Message<String> message =
                Message.of(
                                line,
                                () -> CompletableFuture.completedFuture(null),
                                failure -> {
                                    AUDIT.errorf(
                                            "audit record %s not written to the audit topic: %s",
                                            record.id(), failure.toString());
                                    return CompletableFuture.completedFuture(null);
                                })
                        .addMetadata(
                                OutgoingKafkaRecordMetadata.<String>builder()
                                        .withKey(record.id())
                                        .build());
        try {
            topic.send(message);
        } catch (RuntimeException e) {
            AUDIT.errorf("audit record %s not written to the audit topic: %s", record.id(), e);
        }
    }
}
