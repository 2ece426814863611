package io.tinyfit.arena;

/** The size and alignment of a C type, as {@code sizeof} and {@code alignof} give them. */
record CType(long size, int align) {
    CType {
        if (size < 0 || align < 1 || Integer.bitCount(align) != 1) throw new IllegalArgumentException("bad C type " + size + "/" + align);
    }

    /** An array of n elements. */
    CType times(int n) { return new CType(size * n, align); }

    /**
     * A struct of the given members in declaration order: each member starts at the next multiple of its
     * alignment, and the struct is padded to a multiple of its largest member alignment (the C rules every ABI
     * TFLM targets follows).
     */
    static CType struct(CType... members) {
        long size = 0;
        int align = 1;
        for (CType m : members) {
            size = alignUp(size, m.align) + m.size;
            align = Math.max(align, m.align);
        }
        return new CType(alignUp(size, align), align);
    }

    static long alignUp(long x, long a) { return (x + a - 1) / a * a; }

    static long alignDown(long x, long a) { return Math.floorDiv(x, a) * a; }
}
