package dev.tagpurge.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where operator requests are audited ({@code tagpurge.audit.*}). */
@ConfigMapping(prefix = "tagpurge.audit")
public interface AuditConfig {

    /** Kafka topic of audit records, one per operator request. Default {@code purge-audit}. */
    @WithDefault("purge-audit")
    String topic();
}
