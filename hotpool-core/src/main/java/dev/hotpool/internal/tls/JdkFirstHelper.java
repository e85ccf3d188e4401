package dev.hotpool.internal.tls;

import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;

/**
 * The crypto lookups of BouncyCastle's TLS: the JVM's providers first (SunJCE keeps AES-GCM on the JDK's
 * intrinsics), then a private, unregistered BouncyCastle provider for the algorithms the JDK does not name the
 * way BC asks for them ({@code SHA256WITHRSAANDMGF1} for RSA-PSS, {@code ChaCha7539}, {@code Poly1305}).
 * Without the fallback, TLS 1.3 to a server with an RSA certificate fails (no {@code rsa_pss_*} scheme
 * offered).
 *
 * <p>Thread-safe (stateless apart from the fallback provider, which is).
 */
final class JdkFirstHelper extends DefaultJcaJceHelper {

    private final ProviderJcaJceHelper fallback;

    JdkFirstHelper(Provider fallback) {
        this.fallback = new ProviderJcaJceHelper(fallback);
    }

    @Override
    public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException {
        try {
            return super.createCipher(algorithm);
        }
        catch (NoSuchAlgorithmException | NoSuchPaddingException ex) {
            return this.fallback.createCipher(algorithm);
        }
    }

    @Override
    public Mac createMac(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createMac(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createMac(algorithm);
        }
    }

    @Override
    public KeyAgreement createKeyAgreement(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createKeyAgreement(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createKeyAgreement(algorithm);
        }
    }

    @Override
    public AlgorithmParameters createAlgorithmParameters(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createAlgorithmParameters(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createAlgorithmParameters(algorithm);
        }
    }

    @Override
    public KeyGenerator createKeyGenerator(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createKeyGenerator(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createKeyGenerator(algorithm);
        }
    }

    @Override
    public KeyFactory createKeyFactory(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createKeyFactory(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createKeyFactory(algorithm);
        }
    }

    @Override
    public KeyPairGenerator createKeyPairGenerator(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createKeyPairGenerator(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createKeyPairGenerator(algorithm);
        }
    }

    @Override
    public MessageDigest createDigest(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createDigest(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createDigest(algorithm);
        }
    }

    @Override
    public MessageDigest createMessageDigest(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createMessageDigest(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createMessageDigest(algorithm);
        }
    }

    @Override
    public Signature createSignature(String algorithm) throws NoSuchAlgorithmException {
        try {
            return super.createSignature(algorithm);
        }
        catch (NoSuchAlgorithmException ex) {
            return this.fallback.createSignature(algorithm);
        }
    }
}
