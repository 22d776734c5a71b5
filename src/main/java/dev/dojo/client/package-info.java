/**
 * The command-line client for pipelines: {@code java -jar dojo.jar client ...}. It submits a spec
 * (with an idempotency key, so a retried step never makes a second job), follows the job's event
 * stream (resuming with Last-Event-ID after a dropped connection), prints progress on stderr and the
 * job as JSON on stdout, and ends with an exit code a CI step can act on: 0 SUCCEEDED, 1 FAILED
 * (gates included), 2 CANCELLED or timed out, 3 usage or connection errors.
 *
 * <p>Plain JDK ({@link java.net.http.HttpClient}) and Jackson only: no Spring starts, so the client
 * is up in a fraction of a second. Documented in docs/client.md.
 */
package dev.dojo.client;
