package io.tinyfit.fuzz;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Limits;
import io.tinyfit.tflite.ModelReader;

import java.util.Random;

/** Makes mutations of one valid model file, of any kind; the analyses it needs are done once per model. */
public final class Mutator {
    private final ByteMutations bytes;
    private final GraphMutations graph;
    private final PlanMutations plan;

    /**
     * @param name     how cases name the model (its file name)
     * @param original the file's bytes, which must load
     */
    public Mutator(String name, byte[] original) {
        Graph g = ModelReader.read(original, name, Limits.DEFAULT);
        this.bytes = new ByteMutations(name, original);
        this.graph = new GraphMutations(name, g);
        this.plan = new PlanMutations(name, g);
    }

    public Mutation mutate(MutationKind kind, Random rng) {
        return switch (kind) {
            case TRUNCATE -> bytes.truncate(rng);
            case FLIP_1 -> bytes.flip(kind, 1, rng);
            case FLIP_4 -> bytes.flip(kind, 4, rng);
            case FLIP_32 -> bytes.flip(kind, 32, rng);
            case OFFSET -> bytes.offset(rng);
            case VECTOR_LENGTH -> bytes.vectorLength(rng);
            case PLAN_OVERLAP, PLAN_DMO, PLAN_ZERO, PLAN_UNALIGNED, PLAN_NEGATIVE, PLAN_FAR -> plan.mutate(kind, rng);
            default -> graph.mutate(kind, rng);
        };
    }
}
