package vn.huunghi.hub.edge;

import java.io.InputStream;
import org.apache.cxf.resource.ResourceResolver;

/**
 * Answers CXF's per-request question "which class loader serves this endpoint?" with the
 * caller's own, which is the answer CXF ends with anyway. Left to CXF, the question becomes a
 * class-path lookup of the resource "" on every request, which under Quarkus reopens the
 * application's jar files: 14 % of the hub's CPU under load (docs/performance.md).
 */
final class ServletClassLoaderShortcut implements ResourceResolver {

    @Override
    public <T> T resolve(String resourceName, Class<T> resourceType) {
        if ("".equals(resourceName) && resourceType == ClassLoader.class) {
            return resourceType.cast(Thread.currentThread().getContextClassLoader());
        }
        return null;
    }

    @Override
    public InputStream getAsStream(String name) {
        return null;
    }
}
