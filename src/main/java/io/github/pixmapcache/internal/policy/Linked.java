package io.github.pixmapcache.internal.policy;

/** An element that carries its own links in an intrusive doubly linked list. */
public interface Linked<E extends Linked<E>> {
    E previous();

    void setPrevious(E previous);

    E next();

    void setNext(E next);
}
