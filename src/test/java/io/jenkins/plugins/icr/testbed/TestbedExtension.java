package io.jenkins.plugins.icr.testbed;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One testbed for the tests of a class: {@code @RegisterExtension static final TestbedExtension TESTBED = new
 * TestbedExtension();} starts it before the first test and stops it after the last.
 */
public final class TestbedExtension implements BeforeAllCallback, AfterAllCallback {

    private IcrTestbed testbed;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        testbed = IcrTestbed.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (testbed != null) {
            testbed.close();
            testbed = null;
        }
    }

    public IcrTestbed get() {
        if (testbed == null) {
            throw new IllegalStateException("the testbed runs only while the test class does");
        }
        return testbed;
    }
}
