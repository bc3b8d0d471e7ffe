/**
 * The per-target coalescing window: merges pending selectors, drops duplicates and cuts batches
 * that fit one provider request. Depends only on {@code domain}.
 */
package dev.tagpurge.coalesce;
