package io.jenkins.plugins.icr.va;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.icr.FrontEnd;
import io.jenkins.plugins.icr.Text;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** One request and its whole answer, read and closed; transport failures become what they mean to a user. */
final class Transport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** An answer: its status, the header asked for, and its body. */
    record Answer(int status, Optional<String> header, byte[] body) {

        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                return MAPPER.missingNode();
            }
        }

        /** The error's code and words, in each form IBM's services send ({@code errors[]}, {@code message}, ...). */
        String detail() {
            JsonNode json = json();
            JsonNode first = json.path("errors").path(0);
            Optional<String> code = ScanReport.text(first, "code").or(() -> ScanReport.text(json, "code"))
                    .or(() -> ScanReport.text(json, "errorCode"));
            Optional<String> message = ScanReport.text(first, "message").or(() -> ScanReport.text(json, "message"))
                    .or(() -> ScanReport.text(json, "error")).or(() -> ScanReport.text(json, "errorMessage"));
            String both = code.map(c -> c + message.map(m -> " " + m).orElse("")).or(() -> message).orElse("")
                    .replaceAll("[.\\s]+$", ""); // the sentence that quotes it ends it
            return both.isEmpty() ? "" : ": " + (both.length() > 300 ? both.substring(0, 300) + "…" : both);
        }
    }

    private final OkHttpClient http;
    private final FrontEnd frontEnd;

    Transport(OkHttpClient http, FrontEnd frontEnd) {
        this.http = http;
        this.frontEnd = frontEnd;
    }

    /** In whose words the client's messages name options. */
    FrontEnd frontEnd() {
        return frontEnd;
    }

    /** @param where the service as the user knows it, for messages: "Vulnerability Advisor at us.icr.io" */
    Answer send(Request request, String header, String where) throws VaException, InterruptedException {
        try (Response response = http.newCall(request).execute()) {
            ResponseBody body = response.body();
            return new Answer(response.code(), Optional.ofNullable(header).map(response::header),
                    body == null ? new byte[0] : body.bytes());
        } catch (SSLException e) {
            throw new VaException(VaException.Reason.UNTRUSTED_CERTIFICATE, Text.get(frontEnd, "va.untrusted", where,
                    e.getMessage()), e);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException(e.getMessage());
            }
            throw unreachable(where, e);
        } catch (IOException e) {
            throw unreachable(where, e);
        }
    }

    private VaException unreachable(String where, IOException e) {
        return new VaException(VaException.Reason.UNREACHABLE, Text.get(frontEnd, "va.unreachable", where,
                e.getMessage()), e);
    }
}
