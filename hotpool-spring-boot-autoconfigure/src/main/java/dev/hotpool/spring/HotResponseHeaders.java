package dev.hotpool.spring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.hotpool.Header;

import org.springframework.util.CollectionUtils;
import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.util.MultiValueMap;

/**
 * A response's headers as the {@link MultiValueMap} behind Spring's {@code HttpHeaders}, without copying them: the
 * lookups a client makes on a response ({@code Content-Type}, {@code Content-Length}, one header by name) scan the
 * response's own header list, names compared ignoring case, so a response costs no map, no lower-cased keys and no
 * value lists. Anything else (iterating, counting, changing) first copies the headers into a case-insensitive
 * map like Spring's own headers ({@link LinkedCaseInsensitiveMap}), which then serves every call.
 *
 * <p>Not thread-safe, like the response it belongs to.
 */
final class HotResponseHeaders implements MultiValueMap<String, String> {

    private final List<Header> headers;

    /** The copy made by the first call that needs a real map; {@code null} until then. */
    private MultiValueMap<String, String> copy;

    HotResponseHeaders(List<Header> headers) {
        this.headers = headers;
    }

    private MultiValueMap<String, String> map() {
        if (this.copy == null) {
            MultiValueMap<String, String> map = CollectionUtils
                .toMultiValueMap(new LinkedCaseInsensitiveMap<>(this.headers.size(), Locale.ROOT));
            for (Header header : this.headers) {
                map.add(header.name(), header.value());
            }
            this.copy = map;
        }
        return this.copy;
    }

    @Override
    public String getFirst(String name) {
        if (this.copy != null) {
            return this.copy.getFirst(name);
        }
        for (int i = 0, n = this.headers.size(); i < n; i++) { // Indexed: no iterator per lookup.
            Header header = this.headers.get(i);
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    @Override
    public List<String> get(Object name) {
        if (this.copy != null) {
            return this.copy.get(name);
        }
        if (!(name instanceof String wanted)) {
            return null;
        }
        List<String> values = null;
        for (int i = 0, n = this.headers.size(); i < n; i++) {
            Header header = this.headers.get(i);
            if (header.name().equalsIgnoreCase(wanted)) {
                if (values == null) {
                    values = new ArrayList<>(1);
                }
                values.add(header.value());
            }
        }
        return values;
    }

    @Override
    public boolean containsKey(Object name) {
        if (this.copy != null) {
            return this.copy.containsKey(name);
        }
        return name instanceof String wanted && getFirst(wanted) != null;
    }

    @Override
    public boolean isEmpty() {
        return (this.copy != null) ? this.copy.isEmpty() : this.headers.isEmpty();
    }

    @Override
    public int size() {
        return map().size();
    }

    @Override
    public boolean containsValue(Object value) {
        return map().containsValue(value);
    }

    @Override
    public void add(String name, String value) {
        map().add(name, value);
    }

    @Override
    public void addAll(String name, List<? extends String> values) {
        map().addAll(name, values);
    }

    @Override
    public void addAll(MultiValueMap<String, String> values) {
        map().addAll(values);
    }

    @Override
    public void set(String name, String value) {
        map().set(name, value);
    }

    @Override
    public void setAll(Map<String, String> values) {
        map().setAll(values);
    }

    @Override
    public Map<String, String> toSingleValueMap() {
        return map().toSingleValueMap();
    }

    @Override
    public List<String> put(String name, List<String> values) {
        return map().put(name, values);
    }

    @Override
    public List<String> remove(Object name) {
        return map().remove(name);
    }

    @Override
    public void putAll(Map<? extends String, ? extends List<String>> values) {
        map().putAll(values);
    }

    @Override
    public void clear() {
        map().clear();
    }

    @Override
    public Set<String> keySet() {
        return map().keySet();
    }

    @Override
    public Collection<List<String>> values() {
        return map().values();
    }

    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        return map().entrySet();
    }

    @Override
    public boolean equals(Object other) {
        return this == other || map().equals(other);
    }

    @Override
    public int hashCode() {
        return map().hashCode();
    }

    @Override
    public String toString() {
        return map().toString();
    }
}
