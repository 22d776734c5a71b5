/**
 * Cross-cutting pieces: node settings and roles (and the filter that keeps {@code /api/**} off
 * worker-only nodes), problem details, OpenAPI, the task catalog bean, and the start-up check of
 * glibc's allocator settings for libtorch, and {@link dev.dojo.system.Ticker}, the thread every node timer runs on.
 */
package dev.dojo.system;
