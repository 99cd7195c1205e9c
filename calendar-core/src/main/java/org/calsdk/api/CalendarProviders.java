package org.calsdk.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.calsdk.errors.InvalidInputException;
import org.calsdk.internal.Checks;
import org.calsdk.spi.CalendarProvider;

/**
 * The set of providers an application uses, by id. Build it explicitly ({@link #of}) or from the
 * classpath ({@link #load()}); two providers with one id fail loudly instead of one silently winning.
 * Immutable.
 *
 * <pre>{@code
 * CalendarProviders providers = CalendarProviders.load();
 * CalendarConnection c = providers.connect(ConnectionConfig.builder("caldav")...build());
 * }</pre>
 *
 * @since 0.1
 */
public final class CalendarProviders {
    private final Map<String, CalendarProvider> byId;

    private CalendarProviders(Map<String, CalendarProvider> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /**
     * The providers found by {@link ServiceLoader} on the context class loader.
     *
     * @return the registry; empty when none are on the class path
     */
    public static CalendarProviders load() {
        return load(Thread.currentThread().getContextClassLoader());
    }

    /**
     * The providers {@link ServiceLoader} finds through {@code loader}.
     *
     * @param loader the class loader to search (a plug-in's, in containers)
     * @return the providers by id
     * @throws IllegalStateException if two providers have the same id
     */
    public static CalendarProviders load(ClassLoader loader) {
        Map<String, CalendarProvider> map = new LinkedHashMap<>();
        for (CalendarProvider p : ServiceLoader.load(CalendarProvider.class, loader)) {
            put(map, p);
        }
        return new CalendarProviders(map);
    }

    /**
     * Exactly these providers.
     *
     * @param providers the providers, ids distinct
     * @return the registry
     * @throws IllegalStateException if two have the same id
     */
    public static CalendarProviders of(CalendarProvider... providers) {
        return of(List.of(providers));
    }

    /**
     * Exactly these providers.
     *
     * @param providers the providers, with distinct ids
     * @return the providers by id
     * @throws IllegalStateException if two have the same id
     */
    public static CalendarProviders of(List<CalendarProvider> providers) {
        Map<String, CalendarProvider> map = new LinkedHashMap<>();
        for (CalendarProvider p : providers) {
            put(map, Checks.notNull(p, "provider"));
        }
        return new CalendarProviders(map);
    }

    /**
     * These providers plus {@code provider}; an explicit registration replaces a loaded one of the same
     * id (an explicit choice wins), but two explicit ones still clash.
     *
     * @param provider the provider to add
     * @return a new registry; this one is unchanged
     */
    public CalendarProviders with(CalendarProvider provider) {
        Map<String, CalendarProvider> map = new LinkedHashMap<>(byId);
        map.put(Checks.notNull(provider, "provider").id(), provider);
        return new CalendarProviders(map);
    }

    private static void put(Map<String, CalendarProvider> map, CalendarProvider p) {
        CalendarProvider old = map.putIfAbsent(p.id(), p);
        if (old != null) {
            throw new IllegalStateException("two calendar providers have the id '" + p.id() + "': "
                    + old.getClass().getName() + " and " + p.getClass().getName()
                    + "; remove one from the classpath or register the one you want explicitly");
        }
    }

    /**
     * The ids of the providers held, in registration order.
     *
     * @return the ids, for example {@code [caldav, google]}
     */
    public Set<String> ids() {
        return byId.keySet();
    }

    /**
     * The provider with {@code id}, or an {@link InvalidInputException} listing the known ids.
     *
     * @param id the provider id
     * @return the provider
     */
    public CalendarProvider get(String id) {
        CalendarProvider p = byId.get(Checks.notBlank(id, "provider"));
        if (p == null) {
            throw new InvalidInputException(
                    "provider",
                    "no calendar provider '" + id + "' (known: " + byId.keySet()
                            + "); add its module to the classpath");
        }
        return p;
    }

    /**
     * Connects with the provider that {@code config} names.
     *
     * @param config the connection settings and credentials
     * @return an open connection; the caller closes it
     * @throws InvalidInputException when no provider has the config's id, or the config is invalid for it
     */
    public CalendarConnection connect(ConnectionConfig config) {
        return get(config.provider()).connect(config);
    }
}
