package io.tinyfit.arena;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** C struct layout from field lists: padding, alignment, and the runtime structs' sizes per data model. */
class CTypeTest {
    @Test
    void membersAlignToTheirOwnAlignmentAndTheStructToItsLargest() {
        DataModel dm = DataModel.LP64;
        assertThat(CType.struct(dm.i8(), dm.i32(), dm.i8())).isEqualTo(new CType(12, 4));
        assertThat(CType.struct(dm.i32(), dm.ptr())).isEqualTo(new CType(16, 8));
        assertThat(CType.struct()).isEqualTo(new CType(0, 1));
        assertThat(dm.i32().times(5)).isEqualTo(new CType(20, 4));
    }

    @Test
    void eightByteScalarsAlignToFourOnTheI386ModelAndToEightOn64Bit() {
        assertThat(CType.struct(DataModel.ILP32.i32(), DataModel.ILP32.i64())).isEqualTo(new CType(12, 4));
        assertThat(CType.struct(DataModel.LP64.i32(), DataModel.LP64.i64())).isEqualTo(new CType(16, 8));
    }

    @Test
    void runtimeStructsHaveTheirSizesPerPointerWidth() {
        RuntimeStructs r32 = new RuntimeStructs(DataModel.ILP32);
        RuntimeStructs r64 = new RuntimeStructs(DataModel.LP64);
        assertThat(r32.tensor()).isEqualTo(new CType(40, 4));
        assertThat(r64.tensor()).isEqualTo(new CType(64, 8));
        assertThat(r32.evalTensor().size()).isEqualTo(12);
        assertThat(r64.evalTensor().size()).isEqualTo(24);
        assertThat(r32.nodeAndRegistration().size()).isEqualTo(32);
        assertThat(r64.nodeAndRegistration().size()).isEqualTo(64);
        assertThat(r32.allocationInfo().size()).isEqualTo(24);
        assertThat(r64.allocationInfo().size()).isEqualTo(32);
        assertThat(r32.scratchBufferRequest().size()).isEqualTo(12);
        assertThat(r64.scratchBufferRequest().size()).isEqualTo(16);
        assertThat(r32.greedyMemoryPlanner().size()).isEqualTo(44);
        assertThat(r64.greedyMemoryPlanner().size()).isEqualTo(72);
        assertThat(r32.intArray(3)).isEqualTo(new CType(16, 4));
        assertThat(r64.plannerBytesPerBuffer()).isEqualTo(40);
    }

    @Test
    void onlyPointerWidthsFourAndEightExist() {
        assertThat(DataModel.of(4)).isEqualTo(DataModel.ILP32);
        assertThat(DataModel.of(8)).isEqualTo(DataModel.LP64);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataModel.of(2)).hasMessageContaining("4 or 8");
    }
}
