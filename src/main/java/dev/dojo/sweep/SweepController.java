package dev.dojo.sweep;

import dev.dojo.job.PageView;
import dev.dojo.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Sweeps")
class SweepController {

    static final int MAX_PAGE = 1_000_000;

    private final SweepService sweeps;

    SweepController(SweepService sweeps) {
        this.sweeps = sweeps;
    }

    @PostMapping(value = "/api/sweeps", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Start a hyperparameter sweep", description = "Validates every trial at once (a bad path, a value out of "
            + "the task's range or a metric the task never records is a 400 naming the field) and answers 202 with the sweep; "
            + "its trials are ordinary jobs labelled sweep=<id> and sweep-trial=<n>. See docs/sweeps.md.")
    @ApiResponse(responseCode = "202", description = "The sweep is RUNNING; its first trials are queued within a tick")
    @ApiResponse(responseCode = "400", description = "Invalid sweep; `errors` names each field")
    ResponseEntity<SweepView> submit(@RequestBody(required = false) SweepRequest request, @AuthenticationPrincipal Caller caller) {
        SweepView sweep = sweeps.submit(request, caller);
        return ResponseEntity.accepted().location(URI.create("/api/sweeps/" + sweep.id())).body(sweep);
    }

    @GetMapping(value = "/api/sweeps", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "List the caller's sweeps, newest first", description = "An admin key sees every tenant's sweeps.")
    PageView<SweepView> list(@AuthenticationPrincipal Caller caller,
                             @RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0 or more")
                             @Max(value = MAX_PAGE, message = "must be " + MAX_PAGE + " or less") int page,
                             @RequestParam(defaultValue = "20") @Min(value = 1, message = "must be 1 or more")
                             @Max(value = 50, message = "must be 50 or less") int size) {
        return sweeps.list(caller.visibility(), page, size);
    }

    @GetMapping(value = "/api/sweeps/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One sweep: its status, trials (parameters, status, objective), best trial and counts")
    SweepView get(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        return sweeps.get(id, caller.visibility());
    }

    @PostMapping(value = "/api/sweeps/{id}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Cancel a sweep", description = "Ends the sweep CANCELLED and cancels its queued and running trials; "
            + "409 when it had already ended.")
    @ApiResponse(responseCode = "200", description = "The sweep is CANCELLED; running trials stop within a step")
    @ApiResponse(responseCode = "409", description = "The sweep had already ended; nothing changed")
    SweepView cancel(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        return sweeps.cancel(id, caller);
    }
}
