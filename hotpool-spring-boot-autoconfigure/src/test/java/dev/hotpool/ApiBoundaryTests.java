package dev.hotpool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.hotpool.autoconfigure.HotPoolAutoConfiguration;
import dev.hotpool.internal.PoolAssembly;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API boundary, pinned: the public types of the packages the jars' modules export are exactly the README's list
 * ("What is API"); no signature of the API mentions an internal type; the API packages reach the internal ones only
 * through the assembly point ({@code HotPool} building a {@link PoolAssembly}) and the leaf helpers of
 * {@code internal.util}; and no package cycle exists but that one. Over the main classes of {@code hotpool-core} and of
 * this module.
 */
class ApiBoundaryTests {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ApiBoundaryTests::isMainOutput)
            .importPackages("dev.hotpool");

    /** Output of hotpool-core's or this module's main sources: a classes folder or a jar, never test output. */
    private static boolean isMainOutput(com.tngtech.archunit.core.importer.Location location) {
        String uri = location.toString();
        return (uri.contains("/hotpool-core/target/") || uri.contains("/hotpool-spring-boot-autoconfigure/target/")
                || uri.contains("/hotpool-core-") && !uri.contains("-tests.jar"))
                && !uri.contains("test-classes") && !uri.contains("-tests.jar");
    }

    @Test
    void theExportedPublicTypesAreExactlyTheReadmesApiList() throws IOException {
        Map<String, Set<String>> documented = readmeApiList();
        Set<String> exported = new TreeSet<>();
        exported.addAll(exports(HotPool.class));
        exported.addAll(exports(HotPoolAutoConfiguration.class));
        assertThat(documented.keySet()).as("the packages the README lists are those the modules export")
                .containsExactlyInAnyOrderElementsOf(exported);
        Map<String, Set<String>> actual = new TreeMap<>();
        for (JavaClass c : MAIN) {
            if (exported.contains(c.getPackageName()) && c.isTopLevelClass() && c.getModifiers().contains(JavaModifier.PUBLIC)
                    && !c.getSimpleName().equals("package-info")) {
                actual.computeIfAbsent(c.getPackageName(), (p) -> new TreeSet<>()).add(c.getSimpleName());
            }
        }
        assertThat(actual).as("public top-level types per exported package, against the README's list")
                .isEqualTo(new TreeMap<>(documented));
    }

    @Test
    void noModuleExportsAnInternalPackage() throws IOException {
        assertThat(exports(HotPool.class)).noneMatch((p) -> p.contains(".internal"));
        assertThat(exports(HotPoolAutoConfiguration.class)).noneMatch((p) -> p.contains(".internal"));
        assertThat(MAIN.stream().map(JavaClass::getPackageName).filter((p) -> p.startsWith("dev.hotpool.internal")))
                .as("the internal packages exist and were imported").isNotEmpty();
    }

    @Test
    void noApiSignatureMentionsAnInternalType() throws IOException {
        Set<String> exported = new TreeSet<>(exports(HotPool.class));
        exported.addAll(exports(HotPoolAutoConfiguration.class));
        List<String> leaks = new ArrayList<>();
        for (JavaClass c : MAIN) {
            if (!exported.contains(c.getPackageName()) || !visible(c)) {
                continue;
            }
            List<JavaType> types = new ArrayList<>();
            c.getRawSuperclass().ifPresent(types::add);
            types.addAll(c.getInterfaces());
            for (JavaField f : c.getFields()) {
                if (visible(f.getModifiers())) {
                    check(leaks, c.getName() + "." + f.getName(), List.of(f.getType()));
                }
            }
            for (JavaCodeUnit m : c.getCodeUnits()) {
                if (visible(m.getModifiers())) {
                    List<JavaType> signature = new ArrayList<>(m.getParameterTypes());
                    signature.add(m.getReturnType());
                    signature.addAll(m.getThrowsClause().getTypes());
                    check(leaks, m.getFullName(), signature);
                }
            }
            check(leaks, c.getName() + " (supertypes)", types);
        }
        assertThat(leaks).as("API signatures mentioning an internal type").isEmpty();
    }

    @Test
    void theApiReachesInternalPackagesOnlyThroughTheAssemblyPointAndTheLeafHelpers() {
        noClasses().that().resideInAnyPackage("dev.hotpool", "dev.hotpool.tls", "dev.hotpool.net", "dev.hotpool.metrics",
                        "dev.hotpool.metrics.micrometer", "dev.hotpool.spring", "dev.hotpool.autoconfigure..")
                .and().doNotHaveFullyQualifiedName(HotPool.class.getName())
                .should().dependOnClassesThat().resideInAnyPackage("dev.hotpool.internal", "dev.hotpool.internal.pool",
                        "dev.hotpool.internal.http", "dev.hotpool.internal.http2", "dev.hotpool.internal.tls",
                        "dev.hotpool.internal.net", "dev.hotpool.internal.metrics")
                .because("the API builds a pool only through PoolAssembly; the auto-configuration reaches core's "
                        + "internals not at all")
                .check(MAIN);
        noClasses().that().resideInAPackage("dev.hotpool.internal.util")
                .should().dependOnClassesThat().resideOutsideOfPackages("dev.hotpool.internal.util", "java..")
                .because("the API may use internal.util only because it depends on nothing of hotpool's")
                .check(MAIN);
    }

    /**
     * The one exception is the assembly point: {@code HotPool} builds its parts through {@link PoolAssembly} and, as
     * their façade, holds and calls them.
     */
    @Test
    void noPackageCycleButTheAssemblyPoint() {
        slices().assignedFrom(new ApiAndInternalPackages())
                .should().beFreeOfCycles()
                .ignoreDependency(DescribedPredicate.equalTo(MAIN.get(HotPool.class)),
                        JavaClass.Predicates.resideInAPackage("dev.hotpool.internal.."))
                .check(MAIN);
    }

    /** The API packages of a jar as one slice each (an API is designed as a whole), every internal package alone. */
    private static final class ApiAndInternalPackages implements SliceAssignment {

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String p = javaClass.getPackageName();
            if (p.startsWith("dev.hotpool.internal")) {
                return SliceIdentifier.of(p);
            }
            if (p.startsWith("dev.hotpool.autoconfigure") || p.startsWith("dev.hotpool.spring")) {
                return SliceIdentifier.of("autoconfigure API");
            }
            if (p.startsWith("dev.hotpool")) {
                return SliceIdentifier.of("core API");
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the core API, the auto-configuration's API and each internal package";
        }
    }

    private static boolean visible(JavaClass c) {
        for (JavaClass outer = c; outer != null; outer = outer.getEnclosingClass().orElse(null)) {
            if (!visible(outer.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static void check(List<String> leaks, String where, List<? extends JavaType> types) {
        for (JavaType t : types) {
            for (JavaClass raw : t.getAllInvolvedRawTypes()) {
                if (raw.getPackageName().startsWith("dev.hotpool.internal")) {
                    leaks.add(where + " mentions " + raw.getName());
                }
            }
        }
    }

    /**
     * The packages the module of the jar holding {@code type} exports, from its descriptor's source
     * ({@code src/main/module/module-info.java}: it is compiled after the tests, into the jar).
     */
    private static Set<String> exports(Class<?> type) throws IOException {
        String module = type == HotPool.class ? "hotpool-core" : "hotpool-spring-boot-autoconfigure";
        Path source = Path.of("").toAbsolutePath().resolve("../" + module + "/src/main/module/module-info.java")
                .normalize();
        Set<String> packages = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s*exports\\s+([\\w.]+)\\s*;").matcher(Files.readString(source));
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }

    /** The "What is API" list of the README: package → the simple names of its public types. */
    static Map<String, Set<String>> readmeApiList() throws IOException {
        Path readme = Path.of("").toAbsolutePath().resolve("../README.md").normalize();
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf("## What is API");
        assertThat(start).as("README.md has a '## What is API' section").isNotNegative();
        Map<String, Set<String>> list = new LinkedHashMap<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            String line = lines.get(i);
            if (!line.startsWith("- `dev.hotpool")) {
                continue;
            }
            Matcher m = code.matcher(line);
            m.find();
            String pkg = m.group(1);
            Set<String> types = new TreeSet<>();
            while (m.find()) {
                types.add(m.group(1));
            }
            list.put(pkg, types);
        }
        return list;
    }
}
