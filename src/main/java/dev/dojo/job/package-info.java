/**
 * The job resource: the request and view records, the entity and its status machine, and the
 * service and controllers that submit, list, watch and cancel jobs.
 */
package dev.dojo.job;
