package dev.tagpurge.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One audit record: a request to the operator API (previewed, accepted or refused, with why) or the
 * outcome of an accepted purge. Written to the audit topic, keyed by {@code id}, and to the log.
 *
 * @param id the purge's id ({@code op-…}) for an accepted purge and its outcome, else the request's
 * @param action {@code purge} or {@code preview}; the method and path of a request refused before
 *     its caller was known (401)
 * @param outcome {@code previewed}, {@code accepted}, {@code refused}, or the purge's end: {@code
 *     succeeded}, {@code partial}, {@code failed}
 * @param status the HTTP status answered (none on an outcome record)
 * @param values the first {@value #MAX_VALUES} values asked for; {@code items} counts them all
 * @param refusal why it was refused: the problem document answered
 * @param targetOutcomes each target's outcome, on an outcome record
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecord(
        String id,
        Instant time,
        String action,
        String outcome,
        Integer status,
        String actor,
        Set<String> roles,
        String via,
        String ticket,
        String reason,
        String selectorKind,
        Integer items,
        List<String> values,
        List<String> targets,
        String scope,
        String mode,
        Boolean dryRun,
        Problem refusal,
        List<PurgeRecord.TargetOutcome> targetOutcomes) {

    /** Values kept per record. */
    public static final int MAX_VALUES = 100;

    static List<String> firstValues(List<String> values) {
        return values.size() <= MAX_VALUES ? values : values.subList(0, MAX_VALUES);
    }
}
