package io.jenkins.plugins.icr.region;

import java.util.Optional;

/** The IBM Cloud Container Registry regions, as IBM's Registry documentation lists them. */
public enum Region {
    GLOBAL("global", null, "Global", "icr.io", "registry.bluemix.net"),
    AU_SYD("au-syd", "ap-south", "Sydney", "au.icr.io", "registry.au-syd.bluemix.net"),
    BR_SAO("br-sao", null, "Sao Paulo", "br.icr.io", null),
    CA_MON("ca-mon", null, "Montreal", "ca2.icr.io", null),
    CA_TOR("ca-tor", null, "Toronto", "ca.icr.io", null),
    EU_DE("eu-de", "eu-central", "Frankfurt", "de.icr.io", "registry.eu-de.bluemix.net"),
    EU_ES("eu-es", null, "Madrid", "es.icr.io", null),
    EU_GB("eu-gb", "uk-south", "London", "uk.icr.io", "registry.eu-gb.bluemix.net"),
    IN_CHE("in-che", null, "Chennai", "in.icr.io", null),
    IN_MUM("in-mum", null, "Mumbai", "in2.icr.io", null),
    JP_OSA("jp-osa", null, "Osaka", "jp2.icr.io", null),
    JP_TOK("jp-tok", "ap-north", "Tokyo", "jp.icr.io", null),
    US_SOUTH("us-south", null, "Dallas", "us.icr.io", "registry.ng.bluemix.net");

    private final String id;
    private final String formerName;
    private final String location;
    private final String publicHost;
    private final String deprecatedDomain;

    Region(String id, String formerName, String location, String publicHost, String deprecatedDomain) {
        this.id = id;
        this.formerName = formerName;
        this.location = location;
        this.publicHost = publicHost;
        this.deprecatedDomain = deprecatedDomain;
    }

    /** The name IBM Cloud uses today, {@code us-south}. */
    public String id() {
        return id;
    }

    /** The name the region had before IBM Cloud renamed its regions, {@code uk-south}. */
    public Optional<String> formerName() {
        return Optional.ofNullable(formerName);
    }

    public String location() {
        return location;
    }

    /** The first label of the public host, as users often type it: {@code us}, {@code jp2}; empty for global. */
    public String shortName() {
        return this == GLOBAL ? "" : publicHost.substring(0, publicHost.indexOf('.'));
    }

    public String host(Endpoint endpoint) {
        return endpoint == Endpoint.PRIVATE ? "private." + publicHost : publicHost;
    }

    /** The {@code registry.*.bluemix.net} domain that still points here, deprecated. */
    public Optional<String> deprecatedDomain() {
        return Optional.ofNullable(deprecatedDomain);
    }
}
