/**
 * Live job events over Server-Sent Events, read from the database only, so an api node streams a job
 * that a worker on another machine trains.
 *
 * <p>Event id scheme: every event's {@code id:} is the stream's cursor after that event,
 * {@code <metricRowId>-<checkpointRowId>-<attempt>-<STATUS>-<epoch>}: the highest job_metric id and
 * job_checkpoint id sent so far, then the job state last sent. Each event advances exactly one part
 * (metric and checkpoint ids only grow), so the ids of one stream are totally ordered, and a client that
 * reconnects with {@code Last-Event-ID} (or {@code ?lastEventId=}) gets every row with a larger id and
 * the job state only if it differs from the one it last saw: no loss, no duplicates. Events:
 * {@code status} (the job view, on any change of attempt, status or epoch), {@code metric},
 * {@code checkpoint}, and a last {@code end} (the final job view) after which the server closes the
 * stream; EventSource clients must close on {@code end} or the browser reconnects.
 */
package dev.dojo.event;
