package vn.huunghi.hub;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every setting of the hub, under the one prefix {@code hub.}. */
@ConfigMapping(prefix = "hub")
public interface HubConfig {

    /** Folder for the embedded broker's journal, the embedded database and the message archive. */
    @WithDefault("data")
    Path dataDir();

    Broker broker();

    interface Broker {
        /** true: run Artemis inside this JVM; false: connect to {@link #url()}. */
        @WithDefault("true")
        boolean embedded();

        /** Client URL when the broker is standalone (several hub instances, live/backup pair). */
        Optional<String> url();

        Optional<String> user();

        Optional<String> password();

        /** Loopback TCP acceptor of the embedded broker, for tools and other local clients. */
        @WithDefault("127.0.0.1")
        String tcpHost();

        @WithDefault("61616")
        int tcpPort();
    }

    Crypto crypto();

    Edge edge();

    /** The partner table: who may send what, keyed by party code (the signer certificate's CN). */
    Map<String, Partner> partners();

    /** The hub's signing key and the trust anchors for partner signatures. Dev PKI by default. */
    interface Crypto {
        Path keystore();

        String keystorePassword();

        String keyAlias();

        Path truststore();

        String truststorePassword();

        /** CRL files (DER or PEM) checked for every signer certificate; none: revocation not checked. */
        Optional<List<Path>> crls();
    }

    interface Edge {
        @WithDefault("5242880")
        int maxDocumentBytes();

        @WithDefault("64")
        int maxDepth();

        @WithDefault("50000")
        int maxElements();

        /** A message whose createdAt is further than this from the hub's clock is a possible replay. */
        @WithDefault("PT15M")
        Duration replayWindow();

        /** How long a second copy of a message in flight waits for the first copy's receipt. */
        @WithDefault("PT10S")
        Duration duplicateWait();
    }

    interface Partner {
        /** Message types this party may send to the hub. */
        Set<String> maySend();
    }
}
