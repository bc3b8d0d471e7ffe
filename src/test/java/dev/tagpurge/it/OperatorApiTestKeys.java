package dev.tagpurge.it;

/**
 * The API key of the test profile: {@code tagpurge.operator.api-keys.ci.hash} in the test
 * application.properties is its SHA-256 ({@code ApiKeysTest} checks the hashing).
 */
final class OperatorApiTestKeys {

    static final String KEY = "test-automation-key-0001";

    private OperatorApiTestKeys() {}
}
