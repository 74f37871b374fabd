package io.github.pixmapcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.pixmapcache.PixmapCache;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.caffinitas.ohc.CacheSerializer;
import org.caffinitas.ohc.OHCache;
import org.caffinitas.ohc.OHCacheBuilder;

/** How every benchmark builds our cache and its peers, so that all compare like with like. */
public final class Peers {
    private Peers() {}

    /** Our cache with a budget of {@code bytes}. */
    public static PixmapCache<String> ours(long bytes) {
        return PixmapCache.<String>builder().maximumBytes(bytes).build();
    }

    /**
     * Caffeine bounded by weight in bytes. {@code executor(Runnable::run)} runs its maintenance
     * (draining the read buffer, evicting) on the calling thread, as our cache does, instead of
     * in the common pool, where it would run beside the measured threads.
     */
    public static Cache<String, byte[]> caffeine(long bytes) {
        return Caffeine.newBuilder()
                .maximumWeight(bytes)
                .weigher((String name, byte[] pixels) -> pixels.length)
                .executor(Runnable::run)
                .build();
    }

    /**
     * Caffeine as {@link #caffeine(long)}, but with its default executor: maintenance runs in the
     * common pool, beside the measured threads.
     */
    public static Cache<String, byte[]> caffeinePoolExecutor(long bytes) {
        return Caffeine.newBuilder()
                .maximumWeight(bytes)
                .weigher((String name, byte[] pixels) -> pixels.length)
                .build();
    }

    /**
     * OHC (off-heap, LRU per segment) with a capacity of {@code bytes}, keys and values serialized
     * into its native memory: a {@code get} copies the value back into a new {@code byte[]}.
     */
    public static OHCache<String, byte[]> ohc(long bytes, int largestValue) {
        return OHCacheBuilder.<String, byte[]>newBuilder()
                .capacity(bytes)
                .maxEntrySize(2L * largestValue)
                .keySerializer(new StringSerializer())
                .valueSerializer(new BytesSerializer())
                .build();
    }

    /** UTF-8 bytes, length first, as OHC's own tests serialize strings. */
    static final class StringSerializer implements CacheSerializer<String> {
        @Override
        public void serialize(String value, ByteBuffer buffer) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            buffer.putInt(bytes.length).put(bytes);
        }

        @Override
        public String deserialize(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.getInt()];
            buffer.get(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int serializedSize(String value) {
            return Integer.BYTES + value.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** The bytes as they are, length first. */
    static final class BytesSerializer implements CacheSerializer<byte[]> {
        @Override
        public void serialize(byte[] value, ByteBuffer buffer) {
            buffer.putInt(value.length).put(value);
        }

        @Override
        public byte[] deserialize(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.getInt()];
            buffer.get(bytes);
            return bytes;
        }

        @Override
        public int serializedSize(byte[] value) {
            return Integer.BYTES + value.length;
        }
    }
}
