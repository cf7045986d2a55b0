package vn.huunghi.hub.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import vn.huunghi.hub.HubConfig;

class HostileXmlGuardTest {

    static final HubConfig.Edge LIMITS = new HubConfig.Edge() {
        public int maxDocumentBytes() { return 1000; }
        public int maxDepth() { return 10; }
        public int maxElements() { return 50; }
        public Duration replayWindow() { return Duration.ofMinutes(15); }
        public Duration duplicateWait() { return Duration.ofSeconds(1); }
        public long ledgerMarkPeriodMillis() { return 100; }
    };

    final HostileXmlGuard guard = new HostileXmlGuard(LIMITS, Clock.systemUTC());

    @Test
    void cutsTheDocumentOutOfTheSoapBodyByteForByte() {
        String document = "<m:Message xmlns:m=\"urn:x\">\n  <m:A>é 桂</m:A>\n</m:Message>";
        byte[] request = ("<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"" + SoapEnvelope.SOAP11 + "\"><s:Header/>"
                + "<s:Body>\n " + document + "\n</s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(document.getBytes(StandardCharsets.UTF_8), guard.payloadOf(request));
    }

    @Test
    void refusesADoctypeBeforeExpandingAnything() {
        byte[] request = ("<!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                + "<s:Envelope xmlns:s=\"" + SoapEnvelope.SOAP11 + "\"><s:Body><x>&b;</x></s:Body></s:Envelope>")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(RejectionCode.XML_DTD_FORBIDDEN,
                assertThrows(EdgeRejection.class, () -> guard.payloadOf(request)).code());
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String open = "<a>".repeat(12);
        String close = "</a>".repeat(12);
        byte[] request = ("<s:Envelope xmlns:s=\"" + SoapEnvelope.SOAP11 + "\"><s:Body>" + open + close
                + "</s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8);
        assertEquals(RejectionCode.XML_TOO_DEEP, assertThrows(EdgeRejection.class, () -> guard.payloadOf(request)).code());
    }

    @Test
    void refusesMoreElementsThanTheLimit() {
        byte[] request = ("<s:Envelope xmlns:s=\"" + SoapEnvelope.SOAP11 + "\"><s:Body><x>" + "<a/>".repeat(60)
                + "</x></s:Body></s:Envelope>").getBytes(StandardCharsets.UTF_8);
        assertEquals(RejectionCode.XML_TOO_MANY_ELEMENTS,
                assertThrows(EdgeRejection.class, () -> guard.payloadOf(request)).code());
    }

    @Test
    void refusesARequestOverTheSizeLimitWithoutReadingTheRest() {
        byte[] big = new byte[5000];
        assertEquals(RejectionCode.MESSAGE_TOO_LARGE, assertThrows(EdgeRejection.class,
                () -> guard.readBounded(new java.io.ByteArrayInputStream(big))).code());
    }
}
