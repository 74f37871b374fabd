package io.github.pixmapcache.internal.concurrent;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The field, or the method, may be written (called) only while holding the named lock, in the
 * sense of JSR 305's {@code javax.annotation.concurrent.GuardedBy}: {@code "lock"} names a field
 * of the class. A field that is also read without the lock says so and why, and is volatile.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface GuardedBy {
    /** The lock: a field of the annotated member's class. */
    String value();
}
