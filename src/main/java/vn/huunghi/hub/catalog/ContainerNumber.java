package vn.huunghi.hub.catalog;

import java.util.regex.Pattern;

/**
 * ISO 6346 container identification: owner code, category, serial number and check digit.
 * The XSD checks the shape; only code can check the digit, which catches most typing errors.
 */
public final class ContainerNumber {

    private static final Pattern SHAPE = Pattern.compile("[A-Z]{3}[UJZ][0-9]{7}");

    private ContainerNumber() {
    }

    public static boolean isValid(String number) {
        return number != null && SHAPE.matcher(number).matches()
                && checkDigit(number.substring(0, 10)) == number.charAt(10) - '0';
    }

    /** The check digit of the first ten characters (owner code, category, serial number). */
    public static int checkDigit(String firstTen) {
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            sum += valueOf(firstTen.charAt(i)) << i;
        }
        return sum % 11 % 10;
    }

    private static int valueOf(char c) {
        if (Character.isDigit(c)) {
            return c - '0';
        }
        // A=10 upwards, skipping 11, 22, 33 (multiples of eleven) as the standard does.
        int value = 10 + (c - 'A');
        value += (value - 1) / 10;
        return value;
    }
}
