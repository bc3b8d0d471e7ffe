/** Tagpurge's configuration mapping ({@code tagpurge.*}). Depends on no other package. */
package dev.tagpurge.config;
