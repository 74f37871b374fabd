/**
 * Not exported: the pins that tie native pixels to the reachability of a JavaFX image, the buffer
 * views JavaFX reads, and the dirty-region copy of the update path.
 */
package io.github.pixmapcache.javafx.internal;
