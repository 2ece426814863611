/*
 * tinyfit host driver for a generated model (not part of the firmware runtime; it uses stdio).
 *
 *   model_host IN_DIR OUT_DIR [--dump DIR] [--repeat N] [--trace FILE]
 *
 * Reads IN_DIR/input_<i>.bin (raw little-endian bytes), runs the model once and writes OUT_DIR/output_<i>.bin.
 * Slower memory banks of the plan (bank 1 on) are allocated here with exactly their planned size, as a firmware
 * would provide them. --dump DIR also writes every tensor right after the step that produces it (and each input),
 * as <tensor_index>.bin, like `tinyfit run --dump`; in a plan over regions, what each step wrote is its own file,
 * <tensor_index>.<step>.bin, holding the whole buffer it wrote into (a tile: its region, dense row-major). --repeat N runs the inference once untimed, then N times, and
 * prints the median time per inference as "median_ns <n>". --trace FILE (builds with -DTF_TRACE) logs every activation access
 * inside the arena as "r|w <arena offset> <bytes>". Exit code 2 for bad input, 1 for other failures.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model_api.h"

static const char *dump_dir;
static FILE *trace_file;

static void fail(int code, const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "model_host: ");
    vfprintf(stderr, format, args);
    fprintf(stderr, "\n");
    va_end(args);
    exit(code);
}

static void read_exactly(const char *path, uint8_t *into, uint32_t bytes, int32_t input) {
    FILE *f = fopen(path, "rb");
    long size;
    if (!f) fail(2, "%s: cannot open input %d", path, (int) input);
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) fail(2, "%s: cannot read", path);
    if ((unsigned long) size != bytes) fail(2, "%s: %ld bytes but input %d needs %lu", path, size, (int) input, (unsigned long) bytes);
    if (bytes > 0 && fread(into, 1, bytes, f) != bytes) fail(2, "%s: short read", path);
    fclose(f);
}

static void write_file(const char *path, const uint8_t *data, uint32_t bytes) {
    FILE *f = fopen(path, "wb");
    if (!f) fail(1, "%s: cannot write", path);
    if (bytes > 0 && fwrite(data, 1, bytes, f) != bytes) fail(1, "%s: short write", path);
    if (fclose(f) != 0) fail(1, "%s: cannot write", path);
}

static void dump(const model_tensor *t) {
    char path[4096];
    if (t->step < 0) snprintf(path, sizeof path, "%s/%d.bin", dump_dir, (int) t->tensor);
    else snprintf(path, sizeof path, "%s/%d.%d.bin", dump_dir, (int) t->tensor, (int) t->step);
    write_file(path, model_bank(t->bank) + t->offset, t->bytes);
}

static void dump_step(int32_t step, void *context) {
    const model_tensor *tensors;
    int32_t n = model_step_outputs(step, &tensors), i;
    (void) context;
    for (i = 0; i < n; i++) dump(&tensors[i]);
}

#ifdef TF_TRACE
void tf_trace(const void *address, int32_t bytes, int32_t is_write) {
    const uintptr_t a = (uintptr_t) address, base = (uintptr_t) model_arena();
    if (trace_file && a >= base && a < base + model_arena_bytes()) {
        fprintf(trace_file, "%c %lu %d\n", is_write ? 'w' : 'r', (unsigned long) (a - base), (int) bytes);
    }
}
#endif

#ifdef TF_CHECK_VIEWS
void tf_fault(const char *what) { fail(1, "kernel fault: %s", what); }
#endif

static int compare_longs(const void *a, const void *b) {
    const long long x = *(const long long *) a, y = *(const long long *) b;
    return (x > y) - (x < y);
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv) {
    uint8_t **saved;
    void **banks;
    const char *in_dir, *out_dir, *trace_path = NULL;
    long repeat = 0;
    int32_t i;
    int a;
    char path[4096];
    if (argc < 3) fail(2, "usage: model_host IN_DIR OUT_DIR [--dump DIR] [--repeat N] [--trace FILE]");
    in_dir = argv[1];
    out_dir = argv[2];
    for (a = 3; a < argc; a++) {
        if (strcmp(argv[a], "--dump") == 0 && a + 1 < argc) dump_dir = argv[++a];
        else if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc) repeat = strtol(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--trace") == 0 && a + 1 < argc) trace_path = argv[++a];
        else fail(2, "unknown argument %s", argv[a]);
    }
    banks = calloc((size_t) model_bank_count(), sizeof(void *));
    if (!banks) fail(1, "out of memory");
    for (i = 1; i < model_bank_count(); i++) {
        /* exactly the planned size (at least one byte for malloc), so that the sanitizers see any access past it */
        void *memory = malloc(model_bank_bytes(i) > 0 ? model_bank_bytes(i) : 1);
        if (!memory || model_set_bank(i, memory, model_bank_bytes(i)) != 0) fail(1, "cannot provide bank %s", model_bank_name(i));
        banks[i] = memory;
    }
    saved = malloc(sizeof(uint8_t *) * (size_t) (model_input_count() + 1));
    if (!saved) fail(1, "out of memory");
    for (i = 0; i < model_input_count(); i++) {
        saved[i] = malloc(model_input_bytes(i) + 1);
        if (!saved[i]) fail(1, "out of memory");
        snprintf(path, sizeof path, "%s/input_%d.bin", in_dir, (int) i);
        read_exactly(path, saved[i], model_input_bytes(i), i);
        memcpy(model_input(i), saved[i], model_input_bytes(i));
    }
    if (trace_path) {
        trace_file = fopen(trace_path, "w");
        if (!trace_file) fail(1, "%s: cannot write", trace_path);
    }
    if (dump_dir) {
        const model_tensor *tensors;
        int32_t n = model_input_tensors(&tensors);
        for (i = 0; i < n; i++) dump(&tensors[i]);
    }
    if (repeat > 0) {
        long long *times = malloc(sizeof(long long) * (size_t) repeat);
        long k;
        if (!times) fail(1, "out of memory");
        for (k = -1; k < repeat; k++) {
            long long t0;
            /* the plan may reuse the input's bytes once it is read: every run starts from fresh inputs */
            for (i = 0; i < model_input_count(); i++) memcpy(model_input(i), saved[i], model_input_bytes(i));
            t0 = now_ns();
            model_invoke();
            if (k >= 0) times[k] = now_ns() - t0;
        }
        qsort(times, (size_t) repeat, sizeof(long long), compare_longs);
        printf("median_ns %lld\n", times[repeat / 2]);
        free(times);
    } else {
        model_invoke_observed(dump_dir ? dump_step : NULL, NULL);
    }
    if (trace_file) fclose(trace_file);
    for (i = 0; i < model_output_count(); i++) {
        snprintf(path, sizeof path, "%s/output_%d.bin", out_dir, (int) i);
        write_file(path, model_output(i), model_output_bytes(i));
    }
    for (i = 0; i < model_input_count(); i++) free(saved[i]);
    free(saved);
    for (i = 1; i < model_bank_count(); i++) free(banks[i]);
    free(banks);
    return 0;
}
