package org.calsdk.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A path pattern of a fake's route: literal segments, {@code {name}} for one segment, {@code {name*}}
 * for the rest of the path (at the end only), {@code *} for any one segment. A trailing slash is
 * ignored on both sides. Matches decoded path segments. Not public API.
 */
public final class RoutePattern {
    private final String source;
    private final List<String> segments;
    private final boolean rest;

    private RoutePattern(String source, List<String> segments, boolean rest) {
        this.source = source;
        this.segments = segments;
        this.rest = rest;
    }

    public static RoutePattern compile(String pattern) {
        if (pattern == null || !pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        List<String> segs = split(pattern);
        boolean rest = false;
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            if (s.startsWith("{") != s.endsWith("}")) {
                throw new IllegalArgumentException("unbalanced braces in route pattern " + pattern);
            }
            if (s.endsWith("*}")) {
                if (i != segs.size() - 1) {
                    throw new IllegalArgumentException("{name*} must be the last segment of " + pattern);
                }
                rest = true;
            }
        }
        return new RoutePattern(pattern, segs, rest);
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The captured variables, or empty when {@code pathSegments} does not match. */
    public Optional<Map<String, String>> match(List<String> pathSegments) {
        List<String> path = new ArrayList<>();
        for (String s : pathSegments) {
            if (!s.isEmpty()) {
                path.add(s);
            }
        }
        int fixed = rest ? segments.size() - 1 : segments.size();
        if (rest ? path.size() < fixed : path.size() != fixed) {
            return Optional.empty();
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (int i = 0; i < fixed; i++) {
            String p = segments.get(i);
            String v = path.get(i);
            if (p.startsWith("{")) {
                vars.put(p.substring(1, p.length() - 1), v);
            } else if (!p.equals("*") && !p.equals(v)) {
                return Optional.empty();
            }
        }
        if (rest) {
            String p = segments.get(segments.size() - 1);
            vars.put(p.substring(1, p.length() - 2), String.join("/", path.subList(fixed, path.size())));
        }
        return Optional.of(vars);
    }

    @Override
    public String toString() {
        return source;
    }
}
