package dev.dojo.security;

import dev.dojo.queue.Tenants;
import dev.dojo.system.DomainProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tenants", description = "Per-tenant quotas and what each tenant uses of them. Needs the admin scope.")
class TenantController {

    /** Limits for one tenant; a null field falls back to the service's default (dojo.quotas.*). */
    @Schema(example = "{\"maxQueuedJobs\": 50, \"maxRunningJobs\": 2}")
    record QuotaRequest(
            @Schema(description = "Jobs the tenant may have queued, 0 to 1000000; null: the default") Integer maxQueuedJobs,
            @Schema(description = "Jobs of the tenant that may run at once, 0 to 1000000; null: the default") Integer maxRunningJobs) {}

    private final Tenants tenants;

    TenantController(Tenants tenants) {
        this.tenants = tenants;
    }

    @GetMapping(value = "/api/tenants/{tenant}/quota", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "A tenant's limits in force, the overrides set for it, and its queued and running jobs now")
    Tenants.Usage get(@PathVariable String tenant) {
        return tenants.usage(checked(tenant));
    }

    @PutMapping(value = "/api/tenants/{tenant}/quota", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Set a tenant's limits", description = "Replaces the tenant's overrides; a field left null or out "
            + "takes the service's default. Jobs already queued stay queued.")
    Tenants.Usage put(@PathVariable String tenant, @RequestBody(required = false) QuotaRequest request) {
        if (request == null) {
            throw DomainProblem.badField("Invalid quota", "body", "is empty; send {\"maxQueuedJobs\": 50, \"maxRunningJobs\": 2}");
        }
        check("maxQueuedJobs", request.maxQueuedJobs());
        check("maxRunningJobs", request.maxRunningJobs());
        return tenants.put(checked(tenant), new Tenants.Overrides(request.maxQueuedJobs(), request.maxRunningJobs()));
    }

    private static String checked(String tenant) {
        if (!KeyController.TENANT.matcher(tenant).matches()) {
            throw DomainProblem.badField("Invalid tenant", "tenant", "must be 1 to 64 lower-case letters, digits and dashes");
        }
        return tenant;
    }

    private static void check(String field, Integer value) {
        if (value != null && (value < 0 || value > 1_000_000)) {
            throw DomainProblem.badField("Invalid quota", field, "must be between 0 and 1000000, was " + value);
        }
    }
}
