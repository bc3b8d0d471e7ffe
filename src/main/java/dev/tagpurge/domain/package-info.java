/**
 * What every layer shares, and nothing else: the parsed change event ({@link
 * dev.tagpurge.domain.ChangeEvent}), the selectors ({@link dev.tagpurge.domain.Selector} and its
 * records, {@link dev.tagpurge.domain.SelectorKind}, {@link dev.tagpurge.domain.SelectorKey},
 * {@link dev.tagpurge.domain.NormalizedUrl}, {@link dev.tagpurge.domain.PurgeMode}), an event's
 * selectors after mapping ({@link dev.tagpurge.domain.MappedSelectors}), the items a request may
 * carry ({@link dev.tagpurge.domain.RequestLimits}) and the outcomes ({@link
 * dev.tagpurge.domain.EventStatus}, {@link dev.tagpurge.domain.TargetStatus}, {@link
 * dev.tagpurge.domain.InvalidReason}). It depends on no other package of Tagpurge and on no SDK or
 * transport, so any layer may use it.
 */
package dev.tagpurge.domain;
