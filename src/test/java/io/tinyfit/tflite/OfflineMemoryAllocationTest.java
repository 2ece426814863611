package io.tinyfit.tflite;

import io.tinyfit.model.Graph;
import io.tinyfit.testing.Shared;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The offline plan has TFLM's exact layout and survives a write/read cycle. */
class OfflineMemoryAllocationTest {

    @Test
    void layoutIsHeaderThenOneWordPerTensorWithMinusOneForUnplanned() {
        Shared.assume();
        Graph g = ModelReader.read(Shared.models().resolve("tflm_hello_world_int8.tflite"));
        byte[] bytes = OfflineMemoryAllocation.encode(g, Map.of(0, 0L, g.outputs().get(0), 16L));
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = g.totalTensorCount();
        assertThat(bytes).hasSize(4 * (3 + n));
        assertThat(bb.getInt(0)).isEqualTo(OfflineMemoryAllocation.VERSION);
        assertThat(bb.getInt(4)).isEqualTo(1);
        assertThat(bb.getInt(8)).isEqualTo(n);
        assertThat(bb.getInt(12)).isZero();
        assertThat(bb.getInt(12 + 4 * g.outputs().get(0))).isEqualTo(16);
        assertThat(bb.getInt(12 + 4)).isEqualTo(-1);

        Graph withPlan = OfflineMemoryAllocation.attach(g, Map.of(0, 0L, 5, 32L));
        Graph back = ModelReader.read(ModelWriter.toBytes(withPlan), "written");
        assertThat(OfflineMemoryAllocation.read(back)).contains(Map.of(0, 0L, 5, 32L));
        assertThat(back.metadata()).filteredOn(m -> Graph.OFFLINE_MEMORY_ALLOCATION.equals(m.name())).hasSize(1);
        Graph replaced = OfflineMemoryAllocation.attach(back, Map.of(0, 48L));
        assertThat(OfflineMemoryAllocation.read(replaced)).contains(Map.of(0, 48L));
        assertThat(replaced.metadata()).filteredOn(m -> Graph.OFFLINE_MEMORY_ALLOCATION.equals(m.name())).hasSize(1);
    }
}
