package vn.huunghi.hub.crypto;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import org.jboss.logging.Logger;

/**
 * Chooses the JCA provider that signs and verifies: the Amazon Corretto Crypto Provider (native
 * AWS-LC, much faster RSA and ECDSA) installed first where its native library loads on this
 * platform, otherwise the JDK's own providers. Signatures are the hub's ceiling, so this matters.
 */
public final class CryptoProviders {

    public static final String ACCP = "accp";
    public static final String JDK = "jdk";

    private static final Logger LOG = Logger.getLogger(CryptoProviders.class);

    private CryptoProviders() {
    }

    /**
     * Installs the chosen provider (accp or jdk) and returns what signs now: "accp", or "jdk" when
     * accp was chosen but cannot load here (then the reason is logged once as a warning).
     */
    public static synchronized String install(String choice) {
        if (JDK.equals(choice)) {
            Security.removeProvider(AmazonCorrettoCryptoProvider.PROVIDER_NAME);
            return JDK;
        }
        if (!ACCP.equals(choice)) {
            throw new IllegalArgumentException("hub.crypto.provider must be accp or jdk, not '" + choice + "'");
        }
        Throwable loadingError;
        try {
            loadingError = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
        } catch (LinkageError e) {
            loadingError = e;
        }
        if (loadingError != null) {
            LOG.warnf("the Amazon Corretto Crypto Provider does not load here (%s): signing with the JDK's providers",
                    loadingError.getMessage());
            return JDK;
        }
        Provider[] providers = Security.getProviders();
        if (providers.length == 0 || !AmazonCorrettoCryptoProvider.PROVIDER_NAME.equals(providers[0].getName())) {
            AmazonCorrettoCryptoProvider.install();
        }
        return ACCP;
    }

    /** What signs now: "accp" when the Amazon Corretto Crypto Provider is the first provider, else "jdk". */
    public static String active() {
        Provider[] providers = Security.getProviders();
        return providers.length > 0 && AmazonCorrettoCryptoProvider.PROVIDER_NAME.equals(providers[0].getName()) ? ACCP : JDK;
    }
}
