package io.elaswave.app.tls;

import io.elaswave.actors.node.NodeTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's certificate authority in a directory: {@code ca.p12} (its key, kept to issue more),
 * {@code trust.p12} (its certificate, what every process trusts), {@code <name>.p12} per process
 * (its key and a certificate the CA signed, for both TLS client and server), and {@code password}
 * (of every store; random, readable by the owner only). Keys are EC P-256; certificates are built
 * with Bouncy Castle and signed by the JDK's own provider.
 */
public final class ClusterCa {
  static final String CA_STORE = "ca.p12";
  private static final String ALIAS = "elaswave";
  private static final Duration VALID = Duration.ofDays(825);

  private final Path dir;
  private final char[] password;
  private final PrivateKey caKey;
  private final X509Certificate caCert;
  private final SecureRandom random = new SecureRandom();

  private ClusterCa(Path dir, char[] password, PrivateKey caKey, X509Certificate caCert) {
    this.dir = dir;
    this.password = password;
    this.caKey = caKey;
    this.caCert = caCert;
  }

  /**
   * The CA in {@code dir}: opened if {@code ca.p12} is there, else made (with a fresh password
   * and {@code trust.p12}). {@code name} goes into a new CA's subject.
   */
  public static ClusterCa openOrCreate(Path dir, String name) throws IOException, GeneralSecurityException {
    Files.createDirectories(dir);
    Path store = dir.resolve(CA_STORE);
    if (Files.exists(store)) {
      char[] password = Files.readString(dir.resolve(NodeTls.PASSWORD_FILE)).strip().toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, password);
      }
      return new ClusterCa(dir, password, (PrivateKey) ks.getKey(ALIAS, password),
          (X509Certificate) ks.getCertificate(ALIAS));
    }
    SecureRandom random = new SecureRandom();
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();
    writeOwnerOnly(dir.resolve(NodeTls.PASSWORD_FILE), (new String(password) + "\n").getBytes());
    KeyPair keys = newKeys();
    X500Name subject = new X500Name("CN=elaswave cluster CA " + name);
    X509Certificate cert = sign(new JcaX509v3CertificateBuilder(subject, serial(random), from(), until(), subject,
        keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), keys.getPrivate());
    ClusterCa ca = new ClusterCa(dir, password, keys.getPrivate(), cert);
    ca.writeStore(CA_STORE, keys.getPrivate(), List.of(cert));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", cert);
    ca.write(NodeTls.TRUST_STORE, trust);
    return ca;
  }

  /** Issues {@code <name>.p12} unless it exists; true if it was issued now. */
  public boolean issue(String name) throws IOException, GeneralSecurityException {
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("a certificate name is letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (Files.exists(NodeTls.keyStore(dir, name))) {
      return false;
    }
    KeyPair keys = newKeys();
    X509Certificate cert = sign(new JcaX509v3CertificateBuilder(caCert, serial(random), from(), until(),
        new X500Name("CN=" + name), keys.getPublic())
        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
        .addExtension(Extension.extendedKeyUsage, false,
            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth})),
        caKey);
    writeStore(name + ".p12", keys.getPrivate(), List.of(cert, caCert));
    return true;
  }

  public X509Certificate certificate() {
    return caCert;
  }

  private void writeStore(String file, PrivateKey key, List<X509Certificate> chain)
      throws IOException, GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(ALIAS, key, password, new ArrayList<>(chain).toArray(new X509Certificate[0]));
    write(file, ks);
  }

  /** Writes {@code ks} owner-only, atomically: a store is never seen half-written. */
  private void write(String file, KeyStore ks) throws IOException, GeneralSecurityException {
    Path tmp = Files.createTempFile(dir, "." + file, ".tmp");
    try {
      restrict(tmp);
      try (OutputStream out = Files.newOutputStream(tmp)) {
        ks.store(out, password);
      }
      Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeOwnerOnly(Path file, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), ".password", ".tmp");
    try {
      restrict(tmp);
      Files.write(tmp, bytes);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void restrict(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its own permissions apply
    }
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey by) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(by)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
    }
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(96, random).add(BigInteger.ONE);
  }

  private static Date from() {
    return Date.from(Instant.now().minus(Duration.ofHours(1))); // some slack for clocks a little behind
  }

  private static Date until() {
    return Date.from(Instant.now().plus(VALID));
  }
}
