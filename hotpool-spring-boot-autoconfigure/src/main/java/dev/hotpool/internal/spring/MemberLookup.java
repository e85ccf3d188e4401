package dev.hotpool.internal.spring;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * How {@link Boot41Members} finds Spring Boot 4.1's types and members by name. {@link #REFLECTION} is the only one
 * the application uses; tests pass others that fail the way a native image without hotpool's runtime hints does
 * ({@link ClassNotFoundException}, {@link NoSuchMethodException}).
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface MemberLookup {

    /** Plain reflection through the class loader that loaded hotpool. */
    MemberLookup REFLECTION = new MemberLookup() {

        @Override
        public Class<?> type(String name) throws ClassNotFoundException {
            return Class.forName(name, false, BootClientSettings.class.getClassLoader());
        }

        @Override
        public Method method(Class<?> type, String name, Class<?>... parameterTypes) throws NoSuchMethodException {
            return type.getMethod(name, parameterTypes);
        }

        @Override
        public Constructor<?> constructor(Class<?> type, Class<?>... parameterTypes) throws NoSuchMethodException {
            return type.getDeclaredConstructor(parameterTypes);
        }

        @Override
        public String toString() {
            return "reflection";
        }
    };

    /** The type of that name, not initialised. */
    Class<?> type(String name) throws ClassNotFoundException;

    /** A public method of the type (or one it inherits). */
    Method method(Class<?> type, String name, Class<?>... parameterTypes) throws NoSuchMethodException;

    /** A constructor the type declares, whatever its visibility. */
    Constructor<?> constructor(Class<?> type, Class<?>... parameterTypes) throws NoSuchMethodException;
}
