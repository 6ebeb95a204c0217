/**
 * Vulnerability Advisor (VA) v4 as a build gate: {@link io.jenkins.plugins.icr.va.VaClient} asks the registry for
 * the image's digest and VA for its status and report; {@link io.jenkins.plugins.icr.va.VulnerabilityGate} waits
 * for the scan with bounded backoff and maps VA's verdict to a build result by a {@link
 * io.jenkins.plugins.icr.va.GatePolicy}; {@link io.jenkins.plugins.icr.va.ConsoleTable} renders the verdict.
 *
 * <p>Where it runs: on the Jenkins controller, which holds the key and makes the IAM token, or in {@code icr-login
 * va}'s own process. VA is served at each registry's own host, so either must reach {@code *.icr.io}. Messages name
 * options in the words of the front end that the {@link io.jenkins.plugins.icr.va.VaClient} was built for.
 */
package io.jenkins.plugins.icr.va;
