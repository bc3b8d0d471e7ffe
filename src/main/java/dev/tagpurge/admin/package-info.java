/**
 * The operator purge API ({@code /api/purges}): people purge by hand, with a ticket and a reason,
 * through the same pipelines as change events but ahead of them. Requests are validated ({@link
 * dev.tagpurge.admin.OrderParser}), authorised by role ({@link dev.tagpurge.admin.OperatorPolicy}),
 * previewed ({@link dev.tagpurge.admin.PurgePreviews}) or executed ({@link
 * dev.tagpurge.admin.OperatorPurges}), and every request is audited ({@link
 * dev.tagpurge.admin.AuditLog}). It uses {@code purge} (the dispatcher), {@code completion} (the
 * completion event of each purge), {@code domain}, {@code config} and {@code metrics}; nothing uses
 * it.
 */
package dev.tagpurge.admin;
