package org.calsdk.google;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A throwaway service account key for tests: an RSA pair and the key JSON Google Cloud would hand out. */
final class ServiceAccounts {
    static final String CLIENT_EMAIL = "calsdk-test@calsdk-test.iam.gserviceaccount.com";

    final KeyPair pair;
    final String json;

    private ServiceAccounts(KeyPair pair, String json) {
        this.pair = pair;
        this.json = json;
    }

    private static KeyPair shared;

    /** One key pair per test run: generating RSA keys is the slow part. */
    private static synchronized KeyPair pair() throws NoSuchAlgorithmException {
        if (shared == null) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            shared = g.generateKeyPair();
        }
        return shared;
    }

    static ServiceAccounts generate(String tokenUrl) {
        try {
            return of(pair(), tokenUrl);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key of the same account that Google has never seen (a deleted or foreign key). */
    static ServiceAccounts unknownKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return of(g.generateKeyPair(), null);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ServiceAccounts of(KeyPair pair, String tokenUrl) {
        {
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes())
                            .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("type", "service_account");
            n.put("project_id", "calsdk-test");
            n.put("private_key_id", "test-key-1");
            n.put("private_key", pem);
            n.put("client_email", CLIENT_EMAIL);
            n.put("client_id", "1234567890");
            n.put("token_uri", tokenUrl == null ? "https://oauth2.googleapis.com/token" : tokenUrl);
            return new ServiceAccounts(pair, n.toString());
        }
    }
}
