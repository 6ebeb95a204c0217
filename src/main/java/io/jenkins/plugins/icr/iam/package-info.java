/**
 * IBM Cloud IAM: exchanging an API key for an access token ({@link io.jenkins.plugins.icr.iam.IamClient}), whose
 * the key is ({@link io.jenkins.plugins.icr.iam.Identity}), and the single-flight cache that keeps IAM calls to
 * one per key per token life ({@link io.jenkins.plugins.icr.iam.TokenCache}).
 *
 * <p>Where it runs: on the Jenkins controller, which holds the key; only the token travels to the agent.
 */
package io.jenkins.plugins.icr.iam;
