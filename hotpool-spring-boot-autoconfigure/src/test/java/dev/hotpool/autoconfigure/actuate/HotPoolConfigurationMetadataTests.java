package dev.hotpool.autoconfigure.actuate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.hotpool.autoconfigure.HotPoolProperties;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata the annotation processor generates for {@code hotpool.*}, which IDEs complete from,
 * and the configuration reference users read ({@code docs/configuration.md}): every property is described, carries
 * its default, and is in a table of the reference; every row of those tables, and of the README's short table,
 * names a real property and shows that property's default.
 */
class HotPoolConfigurationMetadataTests {

    /** Types whose properties always have a default (Boot's rule: defaults as field initializers). */
    private static final Set<String> TYPES_WITH_DEFAULTS = Set.of("java.time.Duration", "java.lang.Integer",
            "java.lang.Long", "java.lang.Boolean", "org.springframework.util.unit.DataSize");

    /** The page of the full property reference, from the repository's root. */
    private static final String CONFIGURATION_REFERENCE = "docs/configuration.md";

    /** The first cell of a row of a property table: {@code | `hotpool.max-connections` | …}. */
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`(hotpool\\.[^`]+)`\\s*\\|");

    /** The second cell of a row of a property table, a default: {@code `10s`}. */
    private static final Pattern DEFAULT_CELL = Pattern.compile("`([^`]+)`");

    @Test
    void everyPropertyHasADescriptionInSpringBootsStyle() throws IOException {
        List<String> problems = new ArrayList<>();
        for (JsonNode property : properties()) {
            String name = property.path("name").asString();
            String description = property.path("description").asString();
            if (description.isBlank()) {
                problems.add(name + ": no description");
                continue;
            }
            if (description.startsWith("The ") || description.startsWith("A ")) {
                problems.add(name + ": description starts with an article: " + description);
            }
            if (property.path("type").asString().equals("java.lang.Boolean") && !description.startsWith("Whether")) {
                problems.add(name + ": a boolean's description starts with 'Whether': " + description);
            }
            if (!description.endsWith(".")) {
                problems.add(name + ": description does not end with a period: " + description);
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDurationNumberSizeAndBooleanHasItsDefault() throws IOException {
        List<String> missing = new ArrayList<>();
        for (JsonNode property : properties()) {
            if (TYPES_WITH_DEFAULTS.contains(property.path("type").asString())
                    && property.path("defaultValue").isMissingNode()) {
                missing.add(property.path("name").asString() + " (" + property.path("type").asString() + ")");
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void metricsPropertiesAreDescribedWithTheirDefaults() throws IOException {
        assertThat(property("hotpool.metrics.enabled").path("defaultValue").asBoolean()).isTrue();
        assertThat(property("hotpool.metrics.per-host-tags").path("defaultValue").asBoolean()).isFalse();
        assertThat(property("hotpool.metrics.max-hosts").path("defaultValue").asInt()).isEqualTo(100);
    }

    @Test
    void enumeratedStringValuesCarryHints() throws IOException {
        List<String> hinted = new ArrayList<>();
        for (JsonNode hint : metadata().path("hints")) {
            hinted.add(hint.path("name").asString());
            assertThat(hint.path("values").size()).as(hint.path("name").asString()).isPositive();
        }
        assertThat(hinted).contains("hotpool.health-check.probe-method");
    }

    @Test
    void everyPropertyIsInTheConfigurationReferencesTables() throws IOException {
        List<String> documented = documentedProperties(CONFIGURATION_REFERENCE);
        List<String> undocumented = new ArrayList<>();
        for (JsonNode property : properties()) {
            String name = property.path("name").asString();
            if (documented.stream().noneMatch((row) -> names(row, name))) {
                undocumented.add(name);
            }
        }
        assertThat(undocumented).as("properties missing from the tables of " + CONFIGURATION_REFERENCE).isEmpty();
    }

    @Test
    void everyPropertyTableRowOfTheReferenceAndTheReadmeNamesAProperty() throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode property : properties()) {
            names.add(property.path("name").asString());
        }
        for (String page : List.of(CONFIGURATION_REFERENCE, "README.md")) {
            List<String> unknown = documentedProperties(page).stream()
                .filter((row) -> names.stream().noneMatch((name) -> names(row, name)))
                .toList();
            assertThat(unknown).as(page + " rows naming no property").isEmpty();
        }
    }

    @Test
    void everyDefaultInThePropertyTablesIsTheMetadatasDefault() throws Exception {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode property : properties()) {
            byName.put(property.path("name").asString(), property);
        }
        ConversionService conversion = ApplicationConversionService.getSharedInstance();
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (String page : List.of(CONFIGURATION_REFERENCE, "README.md")) {
            for (String[] row : propertyRows(page)) {
                JsonNode property = byName.get(row[0]);
                if (property == null || property.path("defaultValue").isMissingNode()) {
                    continue; // A key or field of a map property, or a property without a default (a list, a name).
                }
                Matcher value = DEFAULT_CELL.matcher(row[1]);
                JsonNode defaultValue = property.path("defaultValue");
                if (defaultValue.isArray()) { // A list with a default (hotpool.protocols): `a, b` in the table.
                    List<String> expected = new ArrayList<>();
                    defaultValue.forEach((element) -> expected.add(element.asString()));
                    if (!value.matches() || !List.of(value.group(1).split(",\\s*")).equals(expected)) {
                        wrong.add(page + ": " + row[0] + " shows " + row[1] + ", its default is " + expected);
                    }
                    compared++;
                    continue;
                }
                Class<?> type = Class.forName(property.path("type").asString());
                String expected = defaultValue.asString();
                if (!value.matches() || !Objects.equals(conversion.convert(value.group(1), type),
                        conversion.convert(expected, type))) {
                    wrong.add(page + ": " + row[0] + " shows " + row[1] + ", its default is " + expected);
                }
                compared++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(compared).as("defaults compared").isGreaterThan(40);
    }

    /** Whether a table row documents a property: the same name, or a key or field of that map property. */
    private static boolean names(String row, String property) {
        return row.equals(property) || row.startsWith(property + "[") || row.startsWith(property + ".");
    }

    /** The first cells of the property tables of a page of the repository, e.g. {@code docs/configuration.md}. */
    private static List<String> documentedProperties(String page) throws IOException {
        return propertyRows(page).stream().map((row) -> row[0]).toList();
    }

    /** The property and default cells of the property tables of a page of the repository. */
    private static List<String[]> propertyRows(String page) throws IOException {
        Path readme = Path.of("").toAbsolutePath().resolve("..").resolve(page).normalize();
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        boolean propertyTable = false;
        for (String line : Files.readAllLines(readme)) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            if (!inTable) {
                // A table's header: only tables whose first column is "Property" list properties (not meters).
                inTable = true;
                propertyTable = line.substring(1).trim().toLowerCase(java.util.Locale.ROOT).startsWith("property ");
                continue;
            }
            Matcher matcher = TABLE_ROW.matcher(line);
            if (propertyTable && matcher.find()) {
                String[] cells = line.split("\\|");
                rows.add(new String[] { matcher.group(1), cells.length > 2 ? cells[2].trim() : "" });
            }
        }
        assertThat(rows).as("property rows in " + readme).isNotEmpty();
        return rows;
    }

    private static JsonNode property(String name) throws IOException {
        for (JsonNode property : properties()) {
            if (property.path("name").asString().equals(name)) {
                return property;
            }
        }
        throw new AssertionError(name + " is not in the metadata");
    }

    /** The {@code hotpool.*} properties. */
    private static List<JsonNode> properties() throws IOException {
        List<JsonNode> properties = new ArrayList<>();
        for (JsonNode property : metadata().path("properties")) {
            if (property.path("name").asString().startsWith("hotpool.")) {
                properties.add(property);
            }
        }
        assertThat(properties).isNotEmpty();
        return properties;
    }

    /** The metadata generated into this module's classes (not another jar's on the class path). */
    private static JsonNode metadata() throws IOException {
        try {
            Path classes = Path.of(HotPoolProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return JsonMapper.builder().build()
                .readTree(Files.readString(classes.resolve("META-INF/spring-configuration-metadata.json")));
        }
        catch (java.net.URISyntaxException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
