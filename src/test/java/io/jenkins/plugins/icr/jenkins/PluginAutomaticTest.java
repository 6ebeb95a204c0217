package io.jenkins.plugins.icr.jenkins;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.jvnet.hudson.test.PluginAutomaticTestBuilder;

/**
 * What maven-hpi-plugin's generated {@code InjectedTest} runs, for the offline build, which has no maven-hpi-plugin:
 * JTH's {@link PluginAutomaticTestBuilder} (every Jelly file compiles and has the XSS processing instruction, every
 * properties file loads, the CLI answers, the plugin is active).
 *
 * <p>The builder's JUnit 3 suite runs its Jelly checks inside one grouped Jenkins, which JUnit's vintage engine does
 * not report (a broken Jelly file passed there, seen once). So the suite runs here under a listener, and each check it
 * ran becomes a test of its own with its own outcome.
 *
 * <p>The offline build names the plugin's folders in the {@code icr.plugin.*} system properties. Without them (the
 * root build, where maven-hpi-plugin injects the real {@code InjectedTest}) this is skipped, so nothing runs twice.
 */
@EnabledIfSystemProperty(named = "icr.plugin.classes", matches = ".+")
class PluginAutomaticTest {

    @TestFactory
    Stream<DynamicTest> injectedTest() throws Exception {
        junit.framework.TestSuite suite = PluginAutomaticTestBuilder.build(Map.of(
                "basedir", System.getProperty("icr.plugin.basedir"),
                "artifactId", System.getProperty("icr.plugin.artifactId"),
                "packaging", "hpi",
                "outputDirectory", System.getProperty("icr.plugin.classes"),
                "testOutputDirectory", System.getProperty("icr.plugin.testClasses"),
                "requirePI", "true"));
        Map<String, List<Throwable>> outcomes = new LinkedHashMap<>();
        junit.framework.TestResult result = new junit.framework.TestResult();
        result.addListener(new junit.framework.TestListener() {
            @Override
            public void startTest(junit.framework.Test test) {
                outcomes.putIfAbsent(test.toString(), new ArrayList<>());
            }

            @Override
            public void addError(junit.framework.Test test, Throwable e) {
                outcomes.computeIfAbsent(test.toString(), name -> new ArrayList<>()).add(e);
            }

            @Override
            public void addFailure(junit.framework.Test test, junit.framework.AssertionFailedError e) {
                addError(test, e);
            }

            @Override
            public void endTest(junit.framework.Test test) {
            }
        });
        suite.run(result);
        assertFalse(outcomes.isEmpty(), "PluginAutomaticTestBuilder ran no check");
        return outcomes.entrySet().stream().map(outcome -> DynamicTest.dynamicTest(outcome.getKey(), () -> {
            if (!outcome.getValue().isEmpty()) {
                AssertionError failure = new AssertionError(outcome.getKey() + " failed", outcome.getValue().get(0));
                outcome.getValue().stream().skip(1).forEach(failure::addSuppressed);
                throw failure;
            }
        }));
    }
}
