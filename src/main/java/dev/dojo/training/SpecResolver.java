package dev.dojo.training;

import java.util.ArrayList;
import java.util.List;

/** Fills defaults into a requested spec and collects every violation, each naming its field. */
final class SpecResolver {

    /** Most hidden layers an MLP of any task may have. */
    static final int MAX_LAYERS = 8;
    /** Largest MLP any task accepts, in parameters: far beyond the seed's exercises, well within memory. */
    static final long MAX_MLP_PARAMETERS = 20_000_000;
    /** SGD's momentum, the same for every task. */
    static final ParameterInfo MOMENTUM = ParameterInfo.number("momentum", 0.0, 0, 0.999,
            "Momentum for sgd; must stay 0 with adam.");

    static final ParameterInfo LR_SCHEDULE = ParameterInfo.choice("lrSchedule", LearningRateSchedule.CONSTANT,
            List.of(LearningRateSchedule.CONSTANT, LearningRateSchedule.ONE_CYCLE, LearningRateSchedule.COSINE),
            "How the learning rate moves over the run's optimizer steps; learningRate is its peak. constant: the "
                    + "same at every step. onecycle: PyTorch's OneCycleLR, from learningRate/25 up to learningRate over "
                    + "the first warmupFraction of the steps, then cosine down to learningRate/25/10000 at the last. "
                    + "cosine: a linear warm-up over the first warmupFraction of the steps, then half a cosine down to 0.");
    static final ParameterInfo WARMUP_FRACTION = ParameterInfo.number("warmupFraction", null, 0, 1,
            "onecycle and cosine only: the share of the steps that climbs to the peak; default 0.3 for onecycle "
                    + "(OneCycleLR's pct_start), 0 for cosine.");
    static final ParameterInfo BETA1 = ParameterInfo.number("beta1", 0.9, 0, 0.9999,
            "adam only: decay rate of the running mean of the gradient (PyTorch's default 0.9).");
    static final ParameterInfo BETA2 = ParameterInfo.number("beta2", 0.999, 0, 0.9999,
            "adam only: decay rate of the running mean of the squared gradient (PyTorch's default 0.999).");

    /** How the optimizer moves: the learning-rate schedule and its warm-up, and Adam's betas (null for sgd). */
    record Optimization(String lrSchedule, Double warmupFraction, Double beta1, Double beta2) {}

    private final List<InvalidSpecException.Violation> violations = new ArrayList<>();

    Integer integer(String prefix, ParameterInfo info, Integer requested) {
        if (requested == null) {
            return (Integer) info.defaultValue();
        }
        if (requested < info.min().longValue() || requested > info.max().longValue()) {
            reject(prefix, info, "must be between " + info.min() + " and " + info.max() + ", was " + requested);
        }
        return requested;
    }

    Long longValue(String prefix, ParameterInfo info, Long requested) {
        if (requested == null) {
            return ((Number) info.defaultValue()).longValue();
        }
        if (requested < info.min().longValue() || requested > info.max().longValue()) {
            reject(prefix, info, "must be between " + info.min() + " and " + info.max() + ", was " + requested);
        }
        return requested;
    }

    Double number(String prefix, ParameterInfo info, Double requested) {
        if (requested == null) {
            return (Double) info.defaultValue();
        }
        if (requested.isNaN() || requested.isInfinite()) {
            reject(prefix, info, "must be a finite number, was " + requested);
        } else if (requested < info.min().doubleValue() || requested > info.max().doubleValue()) {
            reject(prefix, info, "must be between " + info.min() + " and " + info.max() + ", was " + requested);
        }
        return requested;
    }

    String choice(String prefix, ParameterInfo info, String requested) {
        if (requested == null) {
            return (String) info.defaultValue();
        }
        if (!info.allowed().contains(requested)) {
            reject(prefix, info, "must be one of " + info.allowed() + ", was " + InvalidSpecException.quote(requested));
        }
        return requested;
    }

    /** {@link #MOMENTUM}, which applies to sgd only: adam keeps moments of its own. */
    double momentum(String prefix, Double requested, String optimizer) {
        double momentum = number(prefix, MOMENTUM, requested);
        check(momentum == 0 || !"adam".equals(optimizer), prefix + MOMENTUM.name(), "applies to sgd only; adam has its own moments");
        return momentum;
    }

    /** {@link #LR_SCHEDULE}, {@link #WARMUP_FRACTION}, {@link #BETA1} and {@link #BETA2}, each refused where it does not apply. */
    Optimization optimization(String prefix, Hyperparameters in, String optimizer) {
        String schedule = choice(prefix, LR_SCHEDULE, in.lrSchedule());
        Double warmup = null;
        if (LearningRateSchedule.CONSTANT.equals(schedule)) {
            check(in.warmupFraction() == null, prefix + WARMUP_FRACTION.name(),
                    "applies to lrSchedule \"onecycle\" or \"cosine\" only; remove it for a constant learning rate");
        } else {
            double fallback = LearningRateSchedule.ONE_CYCLE.equals(schedule) ? 0.3 : 0.0;
            warmup = in.warmupFraction() == null ? fallback : number(prefix, WARMUP_FRACTION, in.warmupFraction());
        }
        Double beta1 = null;
        Double beta2 = null;
        if ("adam".equals(optimizer)) {
            beta1 = number(prefix, BETA1, in.beta1());
            beta2 = number(prefix, BETA2, in.beta2());
        } else {
            check(in.beta1() == null, prefix + BETA1.name(), "applies to adam only; remove it for " + optimizer);
            check(in.beta2() == null, prefix + BETA2.name(), "applies to adam only; remove it for " + optimizer);
        }
        return new Optimization(schedule, warmup, beta1, beta2);
    }

    /**
     * The hidden layer sizes of an {@code inputs → hidden… → outputs} MLP: 1 to {@link #MAX_LAYERS}
     * layers, each size within the info's range, and at most {@link #MAX_MLP_PARAMETERS} parameters in all.
     */
    List<Integer> hiddenLayers(String prefix, ParameterInfo info, List<Integer> requested, long inputs, long outputs) {
        List<Integer> hidden = integerList(prefix, info, requested);
        mlpSize(prefix + info.name(), inputs, hidden, outputs);
        return hidden;
    }

    @SuppressWarnings("unchecked")
    private List<Integer> integerList(String prefix, ParameterInfo info, List<Integer> requested) {
        if (requested == null) {
            return (List<Integer>) info.defaultValue();
        }
        if (requested.isEmpty() || requested.size() > MAX_LAYERS) {
            reject(prefix, info, "must hold 1 to " + MAX_LAYERS + " layer sizes, held " + requested.size());
            return requested;
        }
        for (int i = 0; i < requested.size(); i++) {
            Integer units = requested.get(i);
            if (units == null || units < info.min().longValue() || units > info.max().longValue()) {
                violations.add(new InvalidSpecException.Violation(prefix + info.name() + "[" + i + "]",
                        "must be between " + info.min() + " and " + info.max() + ", was " + units));
            }
        }
        // A copy that keeps the nulls reported above: the violations are thrown, the list never used.
        return java.util.Collections.unmodifiableList(new ArrayList<>(requested));
    }

    /** A field the task does not use: refusing it beats silently ignoring what the user asked for. */
    void unused(String field, Object requested, String task) {
        if (requested != null) {
            violations.add(new InvalidSpecException.Violation(field, "is not used by task \"" + task + "\"; remove it"));
        }
    }

    /** Refuses hidden layers that would make an {@code inputs → hidden… → outputs} MLP too large. */
    private void mlpSize(String field, long inputs, List<Integer> hidden, long outputs) {
        long count = 0;
        long in = inputs;
        for (Integer units : hidden) {
            long u = units == null ? 0 : units;
            count += in * u + u;
            in = u;
        }
        count += in * outputs + outputs;
        check(count <= MAX_MLP_PARAMETERS, field, "gives " + count + " parameters; at most " + MAX_MLP_PARAMETERS + " are allowed");
    }

    void check(boolean ok, String field, String message) {
        if (!ok) {
            violations.add(new InvalidSpecException.Violation(field, message));
        }
    }

    void throwIfInvalid() {
        if (!violations.isEmpty()) {
            throw new InvalidSpecException(violations);
        }
    }

    private void reject(String prefix, ParameterInfo info, String message) {
        violations.add(new InvalidSpecException.Violation(prefix + info.name(), message));
    }
}
