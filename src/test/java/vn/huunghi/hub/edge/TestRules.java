package vn.huunghi.hub.edge;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Gives the test hub its own copy of the rules folder, so a test can edit a rule and watch it reload. */
public class TestRules implements QuarkusTestResourceLifecycleManager {

    public static final Path DIR = Path.of("target/test-rules");

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(DIR);
            try (var files = Files.list(Path.of("src/main/resources/rules"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, DIR.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return Map.of("hub.rules.dir", DIR.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
    }
}
