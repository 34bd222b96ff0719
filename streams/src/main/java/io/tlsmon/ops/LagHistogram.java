package io.tlsmon.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A histogram of durations in seconds with fixed upper bounds, cumulative as Prometheus wants it. */
public final class LagHistogram {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    LagHistogram(String name, String help, double... bounds) {
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length);
    }

    public void observe(double seconds) {
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts.incrementAndGet(i);
                break;
            }
        }
        count.increment();
        sum.add(seconds);
    }

    public long count() {
        return count.sum();
    }

    void writeTo(Exposition out) {
        out.family(name, Exposition.Type.HISTOGRAM, help);
        long total = count.sum();
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts.get(i);
            out.sample(name + "_bucket", List.of("le", Exposition.format(bounds[i])), Math.min(cumulative, total));
        }
        out.sample(name + "_bucket", List.of("le", "+Inf"), total);
        out.sample(name + "_sum", new ArrayList<>(), sum.sum());
        out.sample(name + "_count", List.of(), total);
    }
}
