package io.jenkins.plugins.icr.jenkins.step;

import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.pipeline;
import static io.jenkins.plugins.icr.jenkins.step.BlockFixtures.store;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.util.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * What a block costs, side by side in one Pipeline on the built-in node, rounds interleaved so that drift hits every
 * variant alike: an empty {@code withIcrLogin} against {@code withCredentials} and docker-workflow's {@code
 * withDockerRegistry}, the same with a {@code sh 'true'} body, and each client's block against that client's own
 * login and logout. A program, not a test: it prints medians and differences and asserts nothing. Run it in a lab
 * with {@code -Dicr.bench=true} (and {@code -Dicr.bench.rounds=N}).
 */
@WithJenkins
@EnabledIfSystemProperty(named = "icr.bench", matches = "true")
class BlockCostBenchmark {

    @RegisterExtension
    static final BlockFixtures FIXTURES = new BlockFixtures();

    private static final Pattern SAMPLE = Pattern.compile("BENCH (\\S+) (\\d+)");

    /** A client's login and logout run from the controller, as a shell would run them; returns the nanoseconds. */
    private static final String PAIR = """
            @NonCPS
            long pair(String client, String key, String certs, String host) {
              def dir = java.nio.file.Files.createTempDirectory('pair').toString()
              long start = System.nanoTime()
              def login = [client, 'login', '--authfile', dir + '/auth.json', '--cert-dir', certs, '-u', 'iamapikey',
                           '--password-stdin', host].execute()
              login.outputStream.withWriter { it << key }
              login.waitFor()
              [client, 'logout', '--authfile', dir + '/auth.json', host].execute().waitFor()
              long took = System.nanoTime() - start
              new File(dir).deleteDir()
              return took
            }
            """;

    @Test
    void blockCosts(JenkinsRule j) throws Exception {
        int rounds = Integer.getInteger("icr.bench.rounds", 20);
        String key = FIXTURES.testbed().newApiKey();
        store("icr", key);
        var store = CredentialsProvider.lookupStores(Jenkins.get()).iterator().next();
        store.addCredentials(Domain.global(), new StringCredentialsImpl(CredentialsScope.GLOBAL, "text", null,
                Secret.fromString(key)));
        store.addCredentials(Domain.global(), new UsernamePasswordCredentialsImpl(CredentialsScope.GLOBAL, "userpass",
                null, "iamapikey", key));
        String host = FIXTURES.testbed().host();
        String icr = "withIcrLogin(" + FIXTURES.options("icr") + ")";
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("withCredentials {}", "withCredentials([string(credentialsId: 'text', variable: 'K')]) { }");
        variants.put("withIcrLogin {} (auth-file)", icr + " { }");
        String registry = "withDockerRegistry([url: 'https://" + host + "', credentialsId: 'userpass'])";
        variants.put("withDockerRegistry {}", registry + " { }");
        variants.put("sh 'true'", "sh 'true'");
        variants.put("withIcrLogin { sh 'true' }", icr + " { sh 'true' }");
        variants.put("withCredentials { sh 'true' }",
                "withCredentials([string(credentialsId: 'text', variable: 'K')]) { sh 'true' }");
        variants.put("withDockerRegistry { sh 'true' }", registry + " { sh 'true' }");
        variants.put("withCredentials + docker login/logout in one sh",
                "withCredentials([string(credentialsId: 'text', variable: 'K')]) { sh '''D=$(mktemp -d); "
                        + "echo '{\"auths\":{\"" + host + "\":{}}}' > $D/config.json; "
                        + "printf %s \"$K\" | docker --config $D login -u iamapikey --password-stdin " + host
                        + " >/dev/null 2>&1; docker --config $D logout " + host + " >/dev/null; rm -rf $D''' }");
        String certs = FIXTURES.certDir();
        for (String client : List.of("skopeo", "podman", "buildah")) {
            variants.put("withIcrLogin {} (" + client + ")", icr.replace(")", ", client: '" + client + "')") + " { }");
            // The client's own login and logout as processes, timed around the two processes only.
            variants.put(client + " login + logout", "withCredentials([string(credentialsId: 'text', variable: 'K')]) {"
                    + " long took = pair('" + client + "', env.K, '" + certs + "', '" + host + "');"
                    + " s = System.nanoTime() - took }");
        }
        StringBuilder script = new StringBuilder(PAIR + "node {\n  for (int r = 0; r < " + (rounds + 3) + "; r++) {\n"
                + "    long s = 0\n");
        for (Map.Entry<String, String> v : variants.entrySet()) {
            script.append("    s = System.nanoTime()\n    ").append(v.getValue())
                    .append("\n    if (r >= 3) { echo \"BENCH ").append(v.getKey().replace(' ', '_').replace("'", ""))
                    .append(" ${(System.nanoTime() - s).intdiv(1000)}\" }\n");
        }
        script.append("  }\n}\n");
        WorkflowJob p = pipeline(j, "echo 'bench'");
        p.setDefinition(new CpsFlowDefinition(script.toString(), false));
        WorkflowRun b = j.buildAndAssertSuccess(p);
        Map<String, List<Double>> samples = new LinkedHashMap<>();
        Matcher m = SAMPLE.matcher(b.getLog());
        while (m.find()) {
            samples.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Long.parseLong(m.group(2)) / 1000.0);
        }
        System.out.printf("%nBlock costs on the built-in node, %d interleaved rounds after 3 warm-up, ms%n", rounds);
        System.out.printf("%-50s %8s %8s%n", "variant", "min", "median");
        samples.forEach((name, ms) -> System.out.printf("%-50s %8.1f %8.1f%n", name.replace('_', ' '),
                ms.stream().mapToDouble(Double::doubleValue).min().orElse(0), median(ms)));
        System.out.println();
        difference(samples, "withIcrLogin_{}_(auth-file)", "withCredentials_{}", "empty block, over withCredentials");
        difference(samples, "withIcrLogin_{_sh_true_}", "sh_true", "block around sh 'true', over the bare sh");
        difference(samples, "withCredentials_{_sh_true_}", "sh_true", "withCredentials around it, over the bare sh");
        difference(samples, "withDockerRegistry_{_sh_true_}", "sh_true", "withDockerRegistry around it, over the bare sh");
        for (String client : List.of("skopeo", "podman", "buildah")) {
            difference(samples, "withIcrLogin_{}_(" + client + ")", client + "_login_+_logout",
                    client + " block, over its own login + logout");
        }
    }

    private static void difference(Map<String, List<Double>> samples, String a, String b, String what) {
        if (samples.containsKey(a) && samples.containsKey(b)) {
            System.out.printf("%-50s %+8.1f ms%n", what, median(samples.get(a)) - median(samples.get(b)));
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
