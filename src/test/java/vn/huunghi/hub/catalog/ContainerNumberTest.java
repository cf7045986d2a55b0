package vn.huunghi.hub.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContainerNumberTest {

    @Test
    void acceptsNumbersWhoseCheckDigitMatches() {
        assertTrue(ContainerNumber.isValid("CSQU3054383"));
        assertTrue(ContainerNumber.isValid("MSKU9070323"));
    }

    @Test
    void refusesASingleTypedDigitOrSwappedPair() {
        assertFalse(ContainerNumber.isValid("CSQU3054384"));
        assertFalse(ContainerNumber.isValid("CSQU3045383"));
    }

    @Test
    void refusesWrongShape() {
        assertFalse(ContainerNumber.isValid("CSQ3054383"));
        assertFalse(ContainerNumber.isValid("CSQX3054383"));
        assertFalse(ContainerNumber.isValid(null));
    }

    @Test
    void checkDigitTenBecomesZero() {
        // owner code and serial chosen so that the weighted sum is 10 modulo 11
        String firstTen = findFirstTenWithRemainderTen();
        assertEquals(0, ContainerNumber.checkDigit(firstTen));
        assertTrue(ContainerNumber.isValid(firstTen + "0"));
    }

    private static String findFirstTenWithRemainderTen() {
        for (int serial = 0; serial < 1_000_000; serial++) {
            String candidate = String.format("ABCU%06d", serial);
            int sum = 0;
            for (int i = 0; i < 10; i++) {
                char c = candidate.charAt(i);
                int value = Character.isDigit(c) ? c - '0' : new int[] {10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 23, 24,
                        25, 26, 27, 28, 29, 30, 31, 32, 34, 35, 36, 37, 38}[c - 'A'];
                sum += value << i;
            }
            if (sum % 11 == 10) {
                return candidate;
            }
        }
        throw new AssertionError("no candidate");
    }
}
