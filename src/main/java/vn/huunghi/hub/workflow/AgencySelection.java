package vn.huunghi.hub.workflow;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import vn.huunghi.hub.HubConfig;
import vn.huunghi.hub.catalog.MessageCatalog;

/**
 * Content-based routing of a cargo unit to the agencies that must confirm it, by the declarative
 * rules in rules/agency-selection.yaml. Every decision names the rules that fired.
 */
@ApplicationScoped
public class AgencySelection {

    static final String CUSTOMS = "VN-CUSTOMS";

    public enum Effect { REQUIRE, EXEMPT, INSPECT }

    /** One rule of the file, with its compiled predicate. */
    public record Rule(String id, String agency, Effect effect, String inspection, String why, String when,
            Predicate predicate) {
    }

    /**
     * A rule's XPath 1.0 predicate, compiled once per thread (a compiled JDK expression is not
     * thread-safe). Plain JAXP without a function resolver: with one (as Camel's XPath builder
     * sets), the JDK looks up a method reflectively and fails with an exception on every
     * evaluation (docs/performance.md).
     */
    public static final class Predicate {

        private static final XPathFactory XPATHS = XPathFactory.newDefaultInstance();

        private final String expression;
        private final ThreadLocal<XPathExpression> compiled;

        Predicate(String expression) {
            this.expression = expression;
            compile(expression); // a broken expression fails the rules file now, not the first cargo unit
            this.compiled = ThreadLocal.withInitial(() -> compile(expression));
        }

        boolean matches(Document document) {
            try {
                return (Boolean) compiled.get().evaluate(document, XPathConstants.BOOLEAN);
            } catch (XPathExpressionException e) {
                throw new IllegalStateException("rule predicate " + expression + " cannot be evaluated: " + e.getMessage(), e);
            }
        }

        private static XPathExpression compile(String expression) {
            XPath xpath;
            synchronized (XPATHS) {
                xpath = XPATHS.newXPath();
            }
            xpath.setNamespaceContext(CATALOG_PREFIX);
            try {
                return xpath.compile(expression);
            } catch (XPathExpressionException e) {
                throw new IllegalArgumentException("not an XPath 1.0 expression: " + expression, e);
            }
        }

        private static final NamespaceContext CATALOG_PREFIX = new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return "h".equals(prefix) ? MessageCatalog.NAMESPACE_V1 : XMLConstants.NULL_NS_URI;
            }

            @Override
            public String getPrefix(String namespaceUri) {
                return MessageCatalog.NAMESPACE_V1.equals(namespaceUri) ? "h" : null;
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceUri) {
                return MessageCatalog.NAMESPACE_V1.equals(namespaceUri) ? List.of("h").iterator()
                        : Collections.emptyIterator();
            }
        };
    }

    /** The outcome for one cargo unit: each required agency with the rules that required it, and every rule that fired. */
    public record Decision(Map<String, List<String>> requiredAgencies, Map<String, List<String>> inspections,
            List<Rule> fired) {
    }

    private final RuleFiles<List<Rule>> rules;

    AgencySelection(HubConfig config) {
        this.rules = new RuleFiles<>("agency-selection.yaml", config.rules().dir(), this::parse);
    }

    public Decision select(Document canonicalMessage) {
        List<Rule> fired = new ArrayList<>();
        for (Rule rule : rules.current()) {
            if (rule.predicate().matches(canonicalMessage)) {
                fired.add(rule);
            }
        }
        Map<String, List<String>> required = new LinkedHashMap<>();
        Map<String, List<String>> inspections = new LinkedHashMap<>();
        Set<String> exempt = new LinkedHashSet<>();
        for (Rule rule : fired) {
            switch (rule.effect()) {
                case REQUIRE -> required.computeIfAbsent(rule.agency(), a -> new ArrayList<>()).add(rule.id());
                case INSPECT -> {
                    required.computeIfAbsent(rule.agency(), a -> new ArrayList<>()).add(rule.id());
                    inspections.computeIfAbsent(rule.agency(), a -> new ArrayList<>()).add(rule.inspection());
                }
                case EXEMPT -> exempt.add(rule.agency());
            }
        }
        exempt.forEach(required::remove);
        exempt.forEach(inspections::remove);
        return new Decision(required, inspections, fired);
    }

    @SuppressWarnings("unchecked")
    private List<Rule> parse(Map<String, Object> file) {
        List<Rule> parsed = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Map<String, Object> entry : (List<Map<String, Object>>) file.get("rules")) {
            String id = required(entry, "id");
            if (!ids.add(id)) {
                throw new IllegalArgumentException("rule id " + id + " is used twice");
            }
            Effect effect = Effect.valueOf(String.valueOf(entry.getOrDefault("effect", "require")).toUpperCase());
            String agency = required(entry, "agency");
            if (effect == Effect.EXEMPT && CUSTOMS.equals(agency)) {
                throw new IllegalArgumentException("rule " + id + ": customs clears every cargo unit and cannot be exempted");
            }
            if (effect == Effect.INSPECT && entry.get("inspection") == null) {
                throw new IllegalArgumentException("rule " + id + ": an inspect rule names its inspection");
            }
            String when = required(entry, "when");
            parsed.add(new Rule(id, agency, effect, (String) entry.get("inspection"), required(entry, "why"), when,
                    new Predicate(when)));
        }
        return List.copyOf(parsed);
    }

    private static String required(Map<String, Object> entry, String key) {
        Object value = entry.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("a rule lacks '" + key + "': " + entry);
        }
        return value.toString();
    }
}
