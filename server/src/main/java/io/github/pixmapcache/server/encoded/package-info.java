/**
 * The encoded tier: finished responses (a tile's PNG, an IIIF derivative) kept as bytes, so that a
 * hit is served without an encode and without touching pixels. {@link
 * io.github.pixmapcache.server.encoded.EncodedTier} is the whole API: get-or-encode by key with single
 * flight, a byte budget, its numbers, and its meters; its values live on the heap ({@link
 * io.github.pixmapcache.server.encoded.HeapEncodedTier}) or in native memory ({@link
 * io.github.pixmapcache.server.encoded.NativeEncodedTier}), written from an {@link
 * io.github.pixmapcache.server.encoded.EncodedBody} closed when the write ends.
 */
package io.github.pixmapcache.server.encoded;
