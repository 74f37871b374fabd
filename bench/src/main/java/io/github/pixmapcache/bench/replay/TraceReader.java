package io.github.pixmapcache.bench.replay;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the gzipped traces of {@code ../shared/traces}, each in its own format as its README.md describes it. */
final class TraceReader {
    private TraceReader() {}

    /** The trace in {@code file}, named by its path under {@code root} without the {@code .gz}-type suffix. */
    static Trace read(Path root, Path file) throws IOException {
        String name = nameOf(root.relativize(file));
        TraceFormat format = TraceFormat.of(name);
        if (format == null) {
            throw new MalformedTraceException(file, "0", "no known trace format for " + name);
        }
        TraceBuilder trace = new TraceBuilder(name, format.sized);
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
            switch (format) {
                case LIRS, ARC, ADAPT_SIZE, TENCENT_PHOTO -> readLines(file, in, format, trace);
                case CACHE2K_INT32, SCARAB_INT64 -> readBinary(file, in, format, trace);
            }
        }
        return trace.build();
    }

    static String nameOf(Path relative) {
        String name = relative.toString().replace('\\', '/');
        for (String suffix : new String[] {".trace.gz", ".lis.gz", ".gz"}) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static void readLines(Path file, InputStream in, TraceFormat format, TraceBuilder trace) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            String text = line.strip();  // readLine keeps no \n; strip drops a CRLF's \r
            try {
                switch (format) {
                    case LIRS -> readLirs(text, trace);
                    case ARC -> readArc(text, trace);
                    case ADAPT_SIZE -> readAdaptSize(text, trace);
                    case TENCENT_PHOTO -> readTencentPhoto(text, trace);
                    default -> throw new IllegalStateException("not a text format: " + format);
                }
            } catch (NumberFormatException e) {
                throw malformed(file, lineNumber, line, "not a number: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw malformed(file, lineNumber, line, e.getMessage());
            }
        }
    }

    /** One decimal block number; {@code *} (a LIRS breakpoint marker) and blank lines are not requests. */
    private static void readLirs(String text, TraceBuilder trace) {
        if (!text.isEmpty() && !text.equals("*")) {
            trace.add(Long.parseLong(text));
        }
    }

    /** {@code starting_block number_of_blocks ignore request_number}: that many consecutive blocks. */
    private static void readArc(String text, TraceBuilder trace) {
        String[] fields = fields(text, 4);
        long start = Long.parseLong(fields[0]);
        long blocks = Long.parseLong(fields[1]);
        if (blocks < 1) {
            throw new IllegalArgumentException("number_of_blocks must be positive, not " + blocks);
        }
        for (long block = start; block < start + blocks; block++) {
            trace.add(block);
        }
    }

    /** {@code time id size}: the object is (id, size). */
    private static void readAdaptSize(String text, TraceBuilder trace) {
        String[] fields = fields(text, 3);
        Long.parseLong(fields[0]);
        trace.add(Long.parseLong(fields[1]), sizeOf(fields[2]));
    }

    /**
     * {@code timestamp photo_id format size_spec return_bytes cache_hit terminal response_ms}: the
     * object is the rendition (photo_id, format, size_spec); a format other than 0 (jpg) or 5 (webp)
     * marks an error record, which is dropped.
     */
    private static void readTencentPhoto(String text, TraceBuilder trace) {
        String[] fields = fields(text, 8);
        if (!fields[2].equals("0") && !fields[2].equals("5")) {
            return;
        }
        trace.add(fields[1] + ' ' + fields[2] + ' ' + fields[3], sizeOf(fields[4]));
    }

    private static int sizeOf(String field) {
        long size = Long.parseLong(field);
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size out of range: " + size);
        }
        return (int) size;
    }

    private static String[] fields(String text, int count) {
        String[] fields = text.split(" +");
        if (fields.length != count) {
            throw new IllegalArgumentException("expected " + count + " space-separated fields, found " + fields.length);
        }
        return fields;
    }

    /** Big-endian keys, 4 (cache2k) or 8 (scarab) bytes each; a trailing partial key is malformed. */
    private static void readBinary(Path file, InputStream in, TraceFormat format, TraceBuilder trace) throws IOException {
        int width = format == TraceFormat.CACHE2K_INT32 ? Integer.BYTES : Long.BYTES;
        byte[] record = new byte[width];
        for (long offset = 0; ; offset += width) {
            int read = in.readNBytes(record, 0, width);
            if (read == 0) {
                return;
            }
            if (read < width) {
                throw new MalformedTraceException(file, "byte " + offset,
                        "truncated record: " + read + " of " + width + " bytes");
            }
            ByteBuffer key = ByteBuffer.wrap(record);  // big-endian, as DataInputStream writes
            trace.add(width == Integer.BYTES ? (long) key.getInt() : key.getLong());
        }
    }

    private static MalformedTraceException malformed(Path file, int lineNumber, String line, String problem) {
        return new MalformedTraceException(file, "line " + lineNumber, problem + " in \"" + line + "\"");
    }

    /** The trace formats, chosen by the trace's name. */
    enum TraceFormat {
        LIRS(false), ARC(false), CACHE2K_INT32(false), SCARAB_INT64(false), ADAPT_SIZE(true), TENCENT_PHOTO(true);

        final boolean sized;

        TraceFormat(boolean sized) {
            this.sized = sized;
        }

        static TraceFormat of(String name) {
            if (name.startsWith("lirs/")) {
                return LIRS;
            } else if (name.startsWith("arc/")) {
                return ARC;
            } else if (name.startsWith("cache2k/")) {
                return CACHE2K_INT32;
            } else if (name.startsWith("apps/scarab")) {
                return SCARAB_INT64;
            } else if (name.startsWith("sized/adaptsize")) {
                return ADAPT_SIZE;
            } else if (name.startsWith("sized/tencent")) {
                return TENCENT_PHOTO;
            }
            return null;
        }
    }
}
