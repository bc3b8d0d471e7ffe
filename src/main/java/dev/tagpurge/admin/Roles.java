package dev.tagpurge.admin;

/** The roles of the operator purge API, as the issuer (or an API key) grants them. */
public final class Roles {

    /** L1: tags, URLs and prefixes, up to {@code tagpurge.operator.max-items}. */
    public static final String OPERATOR = "purge-operator";

    /** L2: also everything, and more items than an operator may purge. */
    public static final String ADMIN = "purge-admin";

    private Roles() {}
}
