/**
 * The Jenkins adapter: the only code that imports Jenkins. It translates Jenkins objects (credentials, {@code
 * Launcher}, {@code FilePath}, the build's environment and log) into engine values and back, and holds no decision
 * that the offline build cannot test.
 *
 * <ul>
 *   <li>{@code credentials}: the IBM Cloud API key type, its Verify button, the lookup of a block's credentials, IAM
 *       through Jenkins' proxy.
 *   <li>{@code step}: {@code withIcrLogin}, the freestyle wrapper, and their shared login and cleanup.
 *   <li>{@code agent}: the engine's seam over {@code Launcher} and {@code FilePath}.
 *   <li>{@code masking}: secrets out of the console and out of errors.
 *   <li>{@code va}: {@code icrVulnerabilityCheck}, the Vulnerability Advisor gate, and its report on the build.
 * </ul>
 *
 * <p>Where network calls run: IAM (Verify, bearer mode) on the controller, which holds the key; the registry's
 * token check on the agent, which is the machine that must reach the registry; Vulnerability Advisor (and the
 * registry lookup of the image it judges) on the controller, which makes the IAM token and needs no agent for it.
 */
package io.jenkins.plugins.icr.jenkins;
