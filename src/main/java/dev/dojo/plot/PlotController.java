package dev.dojo.plot;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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

    @GetMapping("/api/jobs/{id}/plots/loss.svg")
    @Operation(summary = "Loss per step and per epoch, and test accuracy when recorded, as SVG")
    ResponseEntity<String> loss(@PathVariable String id) {
        return svg(plots.loss(id));
    }

    @GetMapping("/api/jobs/{id}/plots/fit.svg")
    @Operation(summary = "Sine jobs: targets, the trained model's curve and the untrained network's curve, as SVG")
    ResponseEntity<String> fit(@PathVariable String id) {
        return svg(plots.fit(id));
    }

    // No caching: the plots change while the job trains.
    private static ResponseEntity<String> svg(String body) {
        return ResponseEntity.ok().contentType(SVG).cacheControl(CacheControl.noStore()).body(body);
    }
}
