package io.jenkins.plugins.icr.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An error that leaves a block is retold without the block's secrets, wherever in the error they were. */
class MaskedExceptionTest {

    private static final Pattern SECRETS = Pattern.compile("k3y-[0-9]+|aWFtYXBpa2V5OmszeS0x");

    @Test
    void anErrorWithoutSecretsIsLeftAsItIs() {
        IOException plain = new IOException("push failed: denied");
        assertSame(plain, MaskedException.of(plain, SECRETS));
    }

    @Test
    void messagesCausesAndSuppressedErrorsAreMaskedAndTheStackKept() {
        IllegalStateException cause = new IllegalStateException("auth aWFtYXBpa2V5OmszeS0x refused");
        IOException failure = new IOException("bad key k3y-1", cause);
        failure.addSuppressed(new RuntimeException("also k3y-22"));
        Throwable masked = MaskedException.of(failure, SECRETS);
        assertEquals("java.io.IOException: bad key ****", masked.toString());
        assertEquals("java.lang.IllegalStateException: auth **** refused", masked.getCause().toString());
        assertEquals("java.lang.RuntimeException: also ****", masked.getSuppressed()[0].toString());
        assertArrayEquals(failure.getStackTrace(), masked.getStackTrace());
        StringWriter printed = new StringWriter();
        masked.printStackTrace(new PrintWriter(printed));
        assertFalse(SECRETS.matcher(printed.toString()).find(), printed.toString());
    }
}
