package dev.tagpurge.purge;

import java.util.ArrayList;
import java.util.List;

/**
 * The order of one event's targets by cache layer, inner first. Selectors that a lower layer also
 * takes wait here until every target of the lower layers has finished with the event (succeeded,
 * failed or rejected), then go to their target, after its {@code layer-delay}. So a CDN is purged
 * only once the application cache it refills from no longer holds the old content; a lower layer
 * that fails does not stop the outer one, whose stale copy would outlive the event otherwise.
 *
 * <p>Created per event only when targets are in more than one layer. Its methods are called from
 * the pipelines' threads; the handovers run outside its lock, because a pipeline may finish a
 * target at once (a direct executor in tests) and come back here.
 */
final class LayerChain {

    private final int[] open;
    private final List<List<Runnable>> held;
    private int released;

    LayerChain(int layers) {
        this.open = new int[layers];
        this.held = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            held.add(new ArrayList<>(1));
        }
    }

    /** Counts a target of layer {@code layerIndex}; before {@link #start()}. */
    void add(int layerIndex) {
        open[layerIndex]++;
    }

    /** Holds {@code handOver} until every target below {@code layerIndex} is done. */
    void hold(int layerIndex, Runnable handOver) {
        held.get(layerIndex).add(handOver);
    }

    /** Hands over what no open lower layer holds back; call once every target is added. */
    void start() {
        run(advance());
    }

    void targetDone(int layerIndex) {
        synchronized (this) {
            open[layerIndex]--;
        }
        run(advance());
    }

    private synchronized List<Runnable> advance() {
        List<Runnable> ready = null;
        while (released < open.length && lowerLayersDone(released)) {
            List<Runnable> layer = held.get(released);
            if (!layer.isEmpty()) {
                if (ready == null) {
                    ready = new ArrayList<>(layer.size());
                }
                ready.addAll(layer);
                held.set(released, List.of());
            }
            released++;
        }
        return ready == null ? List.of() : ready;
    }

    private boolean lowerLayersDone(int layerIndex) {
        for (int i = 0; i < layerIndex; i++) {
            if (open[i] > 0) {
                return false;
            }
        }
        return true;
    }

    private static void run(List<Runnable> ready) {
        ready.forEach(Runnable::run);
    }
}
