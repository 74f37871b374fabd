package io.github.pixmapcache.server.fleet;

/**
 * Names the Redis keys of one render version. Every key of a metatile (its tiles, its lock) carries
 * the metatile in a hash tag, {@code {z/mx/my}}, so that in a Redis Cluster they share one slot: the
 * metatile's write goes to one node and its tiles are read from one node. Different metatiles hash to
 * different slots, which spreads the tiles over the cluster.
 *
 * <p>Example, prefix {@code pxc}, render version {@code mandelbrot-1}, metatile size 8:
 * tile 12/2041/1363 is {@code pxc:mandelbrot-1:{12/255/170}:2041/1363}, its metatile's lock
 * {@code pxc:mandelbrot-1:{12/255/170}:lock}. A new render version names new keys, so tiles of an older
 * renderer are never read again and age out with their TTL.
 *
 * @param prefix        the fleet's namespace in a Redis shared with others
 * @param renderVersion the renderer's version; tiles of any other version are never served
 * @param metatileSize  tiles per metatile side; the fleet must agree on it
 */
public record TierKeys(String prefix, String renderVersion, int metatileSize) {

    public TierKeys {
        if (!prefix.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("key prefix \"" + prefix + "\" is not one or more of A-Z a-z 0-9 _ . -");
        }
        if (!renderVersion.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("render version \"" + renderVersion + "\" is not one or more of A-Z a-z 0-9 _ . -");
        }
        if (metatileSize < 1) {
            throw new IllegalArgumentException("metatile size " + metatileSize + " is below 1");
        }
    }

    public String tile(int z, int x, int y) {
        return metatileTag(z, x, y) + ':' + x + '/' + y;
    }

    /** The lock of the metatile that holds tile z/x/y. */
    public String lock(int z, int x, int y) {
        return metatileTag(z, x, y) + ":lock";
    }

    /** The counter the fencing tokens of that metatile's lock are drawn from. */
    public String fence(int z, int x, int y) {
        return metatileTag(z, x, y) + ":fence";
    }

    /** The fleet-wide count of metatile renders of this render version. */
    public String renders() {
        return versionPrefix() + "renders";
    }

    private String metatileTag(int z, int x, int y) {
        return versionPrefix() + '{' + z + '/' + x / metatileSize + '/' + y / metatileSize + '}';
    }

    /** The render version as the 32-bit tag in each stored value's header: CRC-32C of its ASCII bytes. */
    public int versionTag() {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(renderVersion.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return (int) crc.getValue();
    }

    private String versionPrefix() {
        return prefix + ':' + renderVersion + ':';
    }
}
