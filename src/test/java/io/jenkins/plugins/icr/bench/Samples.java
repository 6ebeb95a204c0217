package io.jenkins.plugins.icr.bench;

import java.util.ArrayList;
import java.util.List;

/** Wall times in milliseconds. */
final class Samples {
    private final List<Double> ms = new ArrayList<>();

    interface Action {
        void run() throws Exception;
    }

    void time(boolean keep, Action action) throws Exception {
        long start = System.nanoTime();
        action.run();
        if (keep) {
            ms.add((System.nanoTime() - start) / 1e6);
        }
    }

    double min() {
        return ms.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double median() {
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length == 0 ? Double.NaN : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
