package dev.tagpurge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes one change event to a Kafka topic and prints where it went, for trying the service by
 * hand ({@code deploy/local/publish-event.sh}, the README's "Try it"): {@code LocalEventPublisher
 * [--bootstrap 127.0.0.1:9092] [--topic change-events] EVENT}, or the event on standard input when
 * it is absent.
 */
public final class LocalEventPublisher {

    private static final String USAGE =
            "usage: LocalEventPublisher [--bootstrap HOST:PORT] [--topic TOPIC] [EVENT]"
                    + " (EVENT from standard input when absent)";

    private LocalEventPublisher() {}

    public static void main(String[] args) throws IOException {
        String bootstrap = "127.0.0.1:9092";
        String topic = "change-events";
        String event = null;
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            switch (list.get(i)) {
                case "--bootstrap" -> bootstrap = valueAt(list, ++i);
                case "--topic" -> topic = valueAt(list, ++i);
                default -> {
                    if (event != null || list.get(i).startsWith("--")) {
                        usage();
                    }
                    event = list.get(i);
                }
            }
        }
        if (event == null) {
            event = readAll(System.in);
        }
        if (event.isBlank()) {
            usage();
        }
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            RecordMetadata meta = kafka.send(topic, null, event.strip());
            System.out.printf(
                    "{\"topic\":\"%s\",\"partition\":%d,\"offset\":%d}%n",
                    meta.topic(), meta.partition(), meta.offset());
        }
    }

    private static String valueAt(List<String> args, int index) {
        if (index >= args.size()) {
            usage();
        }
        return args.get(index);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void usage() {
        System.err.println(USAGE);
        System.exit(2);
    }
}
