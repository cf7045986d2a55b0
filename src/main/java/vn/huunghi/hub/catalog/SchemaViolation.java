package vn.huunghi.hub.catalog;

/** One schema error in a received document: where it is (line, column, element path) and what the validator said. */
public record SchemaViolation(int line, int column, String path, String message) {

    @Override
    public String toString() {
        return "line " + line + ", column " + column + ", " + path + ": " + message;
    }
}
