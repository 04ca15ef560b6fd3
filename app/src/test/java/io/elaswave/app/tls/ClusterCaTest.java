package io.elaswave.app.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.elaswave.actors.node.NodeTls;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster CA: what it issues chains to it and to nothing else; a second run keeps what exists. */
class ClusterCaTest {
  private static KeyStore load(Path dir, String file) throws Exception {
    char[] password = Files.readString(dir.resolve(NodeTls.PASSWORD_FILE)).strip().toCharArray();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      ks.load(in, password);
    }
    return ks;
  }

  @Test
  void aNodeCertificateIsSignedByItsCaOnlyAndServesBothEndsOfTls(@TempDir Path tmp) throws Exception {
    ClusterCa ca = ClusterCa.openOrCreate(tmp.resolve("a"), "a");
    assertTrue(ca.issue("node-0"));
    ClusterCa other = ClusterCa.openOrCreate(tmp.resolve("b"), "b");
    X509Certificate node = (X509Certificate) load(tmp.resolve("a"), "node-0.p12").getCertificate("elaswave");
    node.checkValidity();
    node.verify(ca.certificate().getPublicKey());
    assertThrows(SignatureException.class, () -> node.verify(other.certificate().getPublicKey()));
    assertEquals("CN=node-0", node.getSubjectX500Principal().getName());
    assertTrue(node.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
    assertEquals(-1, node.getBasicConstraints(), "a node certificate is no CA");
    KeyStore trust = load(tmp.resolve("a"), NodeTls.TRUST_STORE);
    assertEquals(ca.certificate(), trust.getCertificate("ca"));
    assertEquals(PosixFilePermissions.fromString("rw-------"),
        Files.getPosixFilePermissions(tmp.resolve("a").resolve(NodeTls.PASSWORD_FILE)));
  }

  @Test
  void reopeningKeepsTheCaAndEveryCertificate(@TempDir Path tmp) throws Exception {
    ClusterCa first = ClusterCa.openOrCreate(tmp, "x");
    first.issue("node-0");
    byte[] before = Files.readAllBytes(tmp.resolve("node-0.p12"));
    ClusterCa again = ClusterCa.openOrCreate(tmp, "x");
    assertEquals(first.certificate(), again.certificate());
    assertFalse(again.issue("node-0"));
    assertTrue(again.issue("node-1"));
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(tmp.resolve("node-0.p12"))));
    ((X509Certificate) load(tmp, "node-1.p12").getCertificate("elaswave")).verify(first.certificate().getPublicKey());
    assertThrows(IllegalArgumentException.class, () -> again.issue("../etc/passwd"));
  }
}
