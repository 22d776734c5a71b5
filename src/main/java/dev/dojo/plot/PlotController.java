package dev.dojo.plot;

import dev.dojo.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Plots")
class PlotController {

    static final MediaType SVG = MediaType.valueOf("image/svg+xml");

    private final Plots plots;

    PlotController(Plots plots) {
        this.plots = plots;
    }

    @GetMapping(value = "/api/jobs/{id}/plots/loss.svg", produces = "image/svg+xml")
    @Operation(summary = "Loss per step and per epoch, and test accuracy when recorded, as SVG")
    ResponseEntity<String> loss(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        return svg(plots.loss(id, caller.visibility()));
    }

    @GetMapping(value = "/api/jobs/{id}/plots/fit.svg", produces = "image/svg+xml")
    @Operation(summary = "Sine jobs: targets, the trained model's curve and the untrained network's curve, as SVG")
    @ApiResponse(responseCode = "200", description = "The plot")
    @ApiResponse(responseCode = "404", description = "No job with this id that this key may see, or the job's task "
            + "does not fit a curve (only sine-regression does)")
    ResponseEntity<String> fit(@PathVariable String id, @AuthenticationPrincipal Caller caller) {
        return svg(plots.fit(id, caller.visibility()));
    }

    // No caching: the plots change while the job trains.
    private static ResponseEntity<String> svg(String body) {
        return ResponseEntity.ok().contentType(SVG).cacheControl(CacheControl.noStore()).body(body);
    }
}
