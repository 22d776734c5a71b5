/** Cross-cutting pieces: node settings and roles, problem details, OpenAPI, and the task catalog bean. */
package dev.dojo.system;
