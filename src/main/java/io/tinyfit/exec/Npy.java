package io.tinyfit.exec;

import io.tinyfit.model.DType;
import io.tinyfit.model.Shape;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Minimal reader and writer of NumPy's {@code .npy} format (version 1/2, little-endian, C order). */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** An array read from a .npy file: element type, shape and the raw little-endian bytes. */
    public record Array(DType dtype, Shape shape, byte[] data) {}

    public static Array read(byte[] file, String name) {
        if (file.length < 10 || (file[0] & 0xFF) != 0x93 || !new String(file, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new ExecutionException(name + ": not a .npy file");
        }
        int major = file[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = (file[8] & 0xFF) | (file[9] & 0xFF) << 8;
            start = 10;
        } else {
            headerLen = (file[8] & 0xFF) | (file[9] & 0xFF) << 8 | (file[10] & 0xFF) << 16 | (file[11] & 0xFF) << 24;
            start = 12;
        }
        if (headerLen < 0 || start + headerLen > file.length) throw new ExecutionException(name + ": truncated .npy header");
        String header = new String(file, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new ExecutionException(name + ": .npy header lacks descr or shape");
        if (f.find() && f.group(1).equals("True")) throw new ExecutionException(name + ": Fortran-order .npy arrays are not supported");
        DType t = dtypeOf(d.group(1), name);
        int[] dims = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
        Shape shape = Shape.of(dims);
        int dataStart = start + headerLen;
        long bytes = shape.numElements() * t.bytes();
        if (file.length - dataStart != bytes) {
            throw new ExecutionException(name + ": .npy data holds " + (file.length - dataStart) + " bytes, shape " + shape + " needs " + bytes);
        }
        return new Array(t, shape, Arrays.copyOfRange(file, dataStart, file.length));
    }

    public static byte[] write(DType t, Shape shape, byte[] data) {
        StringBuilder sh = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) sh.append(shape.dim(i)).append(shape.rank() == 1 ? "," : (i + 1 < shape.rank() ? ", " : ""));
        String dict = "{'descr': '" + descrOf(t) + "', 'fortran_order': False, 'shape': (" + sh + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] out = new byte[10 + header.length() + data.length];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.ISO_8859_1), 0, out, 1, 5);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) header.length();
        out[9] = (byte) (header.length() >> 8);
        System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, header.length());
        System.arraycopy(data, 0, out, 10 + header.length(), data.length);
        return out;
    }

    private static DType dtypeOf(String descr, String name) {
        return switch (descr) {
            case "|i1", "<i1", "i1" -> DType.INT8;
            case "|u1", "<u1", "u1" -> DType.UINT8;
            case "<i2" -> DType.INT16;
            case "<i4" -> DType.INT32;
            case "<i8" -> DType.INT64;
            case "<f4" -> DType.FLOAT32;
            case "<f8" -> DType.FLOAT64;
            case "|b1" -> DType.BOOL;
            default -> throw new ExecutionException(name + ": .npy dtype '" + descr + "' is not supported (little-endian int8/uint8/int16/int32/int64/float32/float64/bool)");
        };
    }

    private static String descrOf(DType t) {
        return switch (t) {
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT16 -> "<i2";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case BOOL -> "|b1";
            default -> throw new ExecutionException("cannot write " + t.label() + " as .npy");
        };
    }
}
