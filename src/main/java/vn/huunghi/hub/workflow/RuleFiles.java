package vn.huunghi.hub.workflow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * One rules file (YAML) kept parsed: from hub.rules.dir when configured, re-read when the file
 * changes on disk, otherwise the copy packaged with the hub. A file that no longer parses is
 * reported and the last good version stays in force.
 */
final class RuleFiles<T> {

    private final String name;
    private final Optional<Path> dir;
    private final Function<Map<String, Object>, T> parser;
    private FileTime loadedVersion;
    private T current;

    RuleFiles(String name, Optional<Path> dir, Function<Map<String, Object>, T> parser) {
        this.name = name;
        this.dir = dir;
        this.parser = parser;
        this.current = load();
    }

    synchronized T current() {
        if (dir.isPresent()) {
            FileTime modified = lastModified(dir.get().resolve(name));
            if (!modified.equals(loadedVersion)) {
                try {
                    current = load();
                } catch (RuntimeException e) {
                    org.jboss.logging.Logger.getLogger(RuleFiles.class)
                            .errorf("%s was not reloaded, the previous version stays in force: %s", name, e.getMessage());
                    loadedVersion = modified;
                }
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private T load() {
        Load yaml = new Load(LoadSettings.builder().build());
        try (InputStream in = open()) {
            T parsed = parser.apply((Map<String, Object>) yaml.loadFromInputStream(in));
            dir.ifPresent(d -> loadedVersion = lastModified(d.resolve(name)));
            return parsed;
        } catch (IOException e) {
            throw new IllegalStateException(name + " cannot be read: " + e.getMessage(), e);
        }
    }

    private InputStream open() throws IOException {
        if (dir.isPresent()) {
            return Files.newInputStream(dir.get().resolve(name));
        }
        InputStream packaged = RuleFiles.class.getClassLoader().getResourceAsStream("rules/" + name);
        if (packaged == null) {
            throw new IOException("rules/" + name + " is not on the classpath");
        }
        return packaged;
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read", e);
        }
    }
}
