package jbpf.output.picture;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads back the SVG the writers produce with the JDK's XML parser, which fails on anything not well-formed. */
final class Svgs {
  private Svgs() {}

  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    Document d = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    if (!d.getDocumentElement().getLocalName().equals("svg")) throw new AssertionError("root is " + d.getDocumentElement().getLocalName());
    if (!"http://www.w3.org/2000/svg".equals(d.getDocumentElement().getNamespaceURI())) throw new AssertionError("not in the SVG namespace");
    return d;
  }

  /** A frame of a flame graph as drawn: its title's name and count, and its rectangle. */
  record Drawn(String name, long count, double x, double y, double width, String label) {}

  static List<Drawn> frames(Document d) {
    Element frames = d.getElementById("frames");
    if (frames == null) {
      NodeList gs = d.getElementsByTagNameNS("*", "g");
      for (int i = 0; i < gs.getLength(); i++) if ("frames".equals(((Element) gs.item(i)).getAttribute("id"))) frames = (Element) gs.item(i);
    }
    List<Drawn> out = new ArrayList<>();
    NodeList gs = frames.getElementsByTagNameNS("*", "g");
    for (int i = 0; i < gs.getLength(); i++) {
      Element g = (Element) gs.item(i);
      String title = g.getElementsByTagNameNS("*", "title").item(0).getTextContent();
      Element rect = (Element) g.getElementsByTagNameNS("*", "rect").item(0);
      String label = g.getElementsByTagNameNS("*", "text").item(0).getTextContent();
      int open = title.lastIndexOf(" (");
      String count = title.substring(open + 2, title.indexOf(' ', open + 2)).replace(",", "");
      out.add(new Drawn(title.substring(0, open), Long.parseLong(count), Double.parseDouble(rect.getAttribute("x")),
          Double.parseDouble(rect.getAttribute("y")), Double.parseDouble(rect.getAttribute("width")), label));
    }
    return out;
  }
}
