package vn.huunghi.hub.catalog;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;

/**
 * Passes SAX events to a delegate while keeping the path of the current element, so that an
 * error raised by the delegate can say where in the document it is. A position appears from the
 * second sibling of the same name on: {@code /Message/Body/CargoPreDeclaration/GoodsItem[2]/HsCode}.
 */
final class ElementPathTracker implements ContentHandler {

    private final ContentHandler delegate;
    private final Deque<String> steps = new ArrayDeque<>();
    private final Deque<Map<String, Integer>> siblingCounts = new ArrayDeque<>();

    ElementPathTracker(ContentHandler delegate) {
        this.delegate = delegate;
        siblingCounts.push(new HashMap<>());
    }

    String currentPath() {
        if (steps.isEmpty()) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        steps.descendingIterator().forEachRemaining(step -> path.append('/').append(step));
        return path.toString();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
        int position = siblingCounts.peek().merge(localName, 1, Integer::sum);
        steps.push(position == 1 ? localName : localName + "[" + position + "]");
        siblingCounts.push(new HashMap<>());
        delegate.startElement(uri, localName, qName, atts);
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        delegate.endElement(uri, localName, qName);
        siblingCounts.pop();
        steps.pop();
    }

    @Override
    public void setDocumentLocator(Locator locator) {
        delegate.setDocumentLocator(locator);
    }

    @Override
    public void startDocument() throws SAXException {
        delegate.startDocument();
    }

    @Override
    public void endDocument() throws SAXException {
        delegate.endDocument();
    }

    @Override
    public void startPrefixMapping(String prefix, String uri) throws SAXException {
        delegate.startPrefixMapping(prefix, uri);
    }

    @Override
    public void endPrefixMapping(String prefix) throws SAXException {
        delegate.endPrefixMapping(prefix);
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        delegate.characters(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
        delegate.ignorableWhitespace(ch, start, length);
    }

    @Override
    public void processingInstruction(String target, String data) throws SAXException {
        delegate.processingInstruction(target, data);
    }

    @Override
    public void skippedEntity(String name) throws SAXException {
        delegate.skippedEntity(name);
    }
}
