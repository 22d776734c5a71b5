/**
 * Cross-cutting pieces: node settings and roles (and the filter that keeps {@code /api/**} off
 * worker-only nodes), problem details, OpenAPI, and the task catalog bean.
 */
package dev.dojo.system;
