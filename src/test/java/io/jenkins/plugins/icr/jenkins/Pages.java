package io.jenkins.plugins.icr.jenkins;

import org.htmlunit.html.HtmlElement;
import org.htmlunit.html.HtmlInput;
import org.htmlunit.html.HtmlPage;

/** Pages as a user handles them: by what the buttons say. */
public final class Pages {

    private Pages() {}

    /** The field a user sees with this name ({@code _.iamEndpoint}): forms keep hidden copies of some sections. */
    public static HtmlInput field(HtmlPage page, String name) {
        for (Object input : page.getByXPath("//input[@name='" + name + "']")) {
            if (((HtmlInput) input).isDisplayed()) {
                return (HtmlInput) input;
            }
        }
        throw new AssertionError("no visible field '" + name + "' on " + page.getUrl());
    }

    /** Clicks the first visible button whose text is {@code text}. */
    public static void click(HtmlPage page, String text) throws Exception {
        for (Object button : page.getByXPath("//button[normalize-space(.)='" + text + "']")) {
            HtmlElement element = (HtmlElement) button;
            if (element.isDisplayed()) {
                element.click();
                return;
            }
        }
        throw new AssertionError("no visible button '" + text + "' on " + page.getUrl());
    }
}
