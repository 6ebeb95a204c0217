package io.jenkins.plugins.icr.login;

/** Where a session tells the user what it did: the build log in Jenkins, standard error on the command line. */
public interface SessionLog {

    void info(String message);

    void warn(String message);

    /** Says nothing: for callers that only want the exceptions. */
    SessionLog SILENT = new SessionLog() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
    };
}
