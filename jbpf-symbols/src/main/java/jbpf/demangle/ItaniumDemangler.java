package jbpf.demangle;

import java.util.ArrayList;
import java.util.List;

/**
 * A demangler for the Itanium C++ ABI mangling that gcc and clang use, printing names exactly as GNU
 * {@code c++filt} does: {@code std::} abbreviations in full, {@code > >} between closing template brackets,
 * {@code (anonymous namespace)}, {@code {lambda(int)#1}}, {@code [abi:cxx11]} and {@code [clone .constprop.0]}.
 *
 * <p>The parser builds a tree of nodes; template parameters and substitutions refer to earlier nodes. Each type
 * prints in two halves around its declarator ({@code void (*} … {@code )(int)}), the way C declarations read.
 */
public final class ItaniumDemangler {
  private static final int MAX_INPUT = 1 << 14, MAX_OUTPUT = 1 << 16, MAX_DEPTH = 512;

  private ItaniumDemangler() {}

  /** {@return {@code mangled} demangled, or {@code null} if it is not a valid Itanium mangled name} */
  public static String demangle(String mangled) {
    if (mangled == null || !mangled.startsWith("_Z") || mangled.length() > MAX_INPUT) return null;
    try {
      Node n = new Parser(mangled).mangledName();
      Out o = new Out();
      n.print(o);
      return o.sb.toString();
    } catch (Fail f) {
      return null;
    }
  }

  /** Thrown to abandon a name that cannot be demangled; carries no stack trace. */
  private static final class Fail extends RuntimeException {
    static final Fail INSTANCE = new Fail();

    private Fail() { super(null, null, false, false); }
  }

  private static Fail fail() { return Fail.INSTANCE; }

  // ---- output -------------------------------------------------------------------------------------------------

  private static final class Out {
    final StringBuilder sb = new StringBuilder();
    int depth;
    int packIndex = -1;     // the element of a parameter pack being printed inside a pack expansion
    char last;              // the last character appended; like c++filt, not reset when a ", " is taken back
    Frame templates;        // the template arguments template parameters refer to, innermost first
    Template current;       // the template being printed, for a conversion operator inside its name

    Out add(String s) {
      if (s.isEmpty()) return this;
      sb.append(s);
      last = s.charAt(s.length() - 1);
      if (sb.length() > MAX_OUTPUT) throw fail();
      return this;
    }

    Out add(char c) {
      sb.append(c);
      last = c;
      return this;
    }

    char last() { return last; }

    void enter() { if (++depth > MAX_DEPTH) throw fail(); }

    void leave() { depth--; }
  }

  /** One level of template arguments in scope while printing. */
  private record Frame(List<Node> args, Frame next) {}

  // ---- nodes --------------------------------------------------------------------------------------------------

  private abstract static class Node {
    final void print(Out o) {
      o.enter();
      printLeft(o);
      printRight(o);
      o.leave();
    }

    abstract void printLeft(Out o);

    void printRight(Out o) {}

    /** {@return whether this type prints with a declarator in the middle, like a function or an array} */
    boolean needsParens(Out o) { return false; }

    boolean isFunction(Out o) { return false; }

    /** {@return whether this type prints something after the declarator, e.g. a pointer to function's {@code )(int)}} */
    boolean hasRightPart(Out o) { return needsParens(o); }

    /** {@return the node a template parameter stands for; inside a pack expansion, the current element of a pack} */
    Node resolve(Out o) { return this; }

    /** {@return the unqualified name a constructor of this class is called, without template arguments} */
    String lastName(Out o) { throw fail(); }
  }

  private static final class Name extends Node {
    final String text, last;

    Name(String text) { this(text, text); }

    Name(String text, String last) {
      this.text = text;
      this.last = last;
    }

    @Override void printLeft(Out o) { o.add(text); }

    @Override String lastName(Out o) { return last; }
  }

  private static final class Qual extends Node {
    final Node scope, name;

    Qual(Node scope, Node name) {
      this.scope = scope;
      this.name = name;
    }

    @Override void printLeft(Out o) {
      scope.print(o);
      o.add("::");
      name.print(o);
    }

    @Override String lastName(Out o) { return name.lastName(o); }
  }

  private static final class AbiTag extends Node {
    final Node name;
    final String tag;

    AbiTag(Node name, String tag) {
      this.name = name;
      this.tag = tag;
    }

    @Override void printLeft(Out o) {
      name.print(o);
      o.add("[abi:").add(tag).add("]");
    }

    @Override String lastName(Out o) { return name.lastName(o); }
  }

  private static final class Template extends Node {
    final Node name;
    final List<Node> args;

    Template(Node name, List<Node> args) {
      this.name = name;
      this.args = args;
    }

    @Override void printLeft(Out o) {
      Template saved = o.current;
      o.current = this;
      name.print(o);
      if (o.last() == '<') o.add(' ');
      o.add('<');
      printList(args, o);
      if (o.last() == '>') o.add(' ');
      o.add('>');
      o.current = saved;
    }

    @Override String lastName(Out o) { return name.lastName(o); }
  }

  /**
   * Prints {@code nodes} separated by ", " as c++filt does: when everything after a separator printed nothing
   * (empty packs at the end), the separator is taken back; an empty pack in the middle leaves {@code ", , "}.
   */
  private static void printList(List<Node> nodes, Out o) {
    if (!nodes.isEmpty()) printList(nodes, 0, o);
  }

  private static void printList(List<Node> nodes, int i, Out o) {
    o.enter();
    nodes.get(i).print(o);
    if (i + 1 < nodes.size()) {
      o.add(", ");
      int len = o.sb.length();
      printList(nodes, i + 1, o);
      if (o.sb.length() == len) o.sb.setLength(len - 2);
    }
    o.leave();
  }

  /** A template argument pack ({@code J … E}). */
  private static final class Pack extends Node {
    final List<Node> elements;

    Pack(List<Node> elements) { this.elements = elements; }

    @Override void printLeft(Out o) { printList(elements, o); }
  }

  /** A pack expansion ({@code Dp T}): the pattern printed once per element of the pack it names. */
  private static final class PackExpansion extends Node {
    final Node pattern;

    PackExpansion(Node pattern) { this.pattern = pattern; }

    @Override void printLeft(Out o) {
      int size = packSize(pattern, o);
      if (size < 0) {
        pattern.print(o);
        o.add("...");
        return;
      }
      int saved = o.packIndex;
      for (int i = 0; i < size; i++) {
        if (i > 0) o.add(", ");
        o.packIndex = i;
        pattern.print(o);
      }
      o.packIndex = saved;
    }
  }

  /** {@return the size of the first pack {@code n} refers to, or -1 if it refers to none} */
  private static int packSize(Node n, Out o) {
    o.enter();
    try {
      if (n instanceof TemplateParam tp) return tp.arg(o.templates, o) instanceof Pack p ? p.elements.size() : -1;
      List<Node> kids = children(n);
      for (Node k : kids) {
        int s = packSize(k, o);
        if (s >= 0) return s;
      }
      return -1;
    } finally {
      o.leave();
    }
  }

  private static List<Node> children(Node n) {
    List<Node> out = new ArrayList<>();
    switch (n) {
      case Qual q -> { out.add(q.scope); out.add(q.name); }
      case Template t -> { out.add(t.name); out.addAll(t.args); }
      case Cv c -> out.add(c.child);
      case Pointer p -> out.add(p.child);
      case FunctionType f -> { if (f.ret != null) out.add(f.ret); out.addAll(f.params); }
      case ArrayType a -> { out.add(a.elem); if (a.dim != null) out.add(a.dim); }
      case PtrMem m -> { out.add(m.cls); out.add(m.member); }
      case Expr e -> out.addAll(e.operands());
      case Decltype d -> out.add(d.expr);
      default -> {}
    }
    return out;
  }

  /**
   * A template parameter ({@code T_}), resolved while printing against the innermost template in scope, as
   * c++filt does; its argument is printed with that template out of scope.
   */
  private static final class TemplateParam extends Node {
    final int index;

    TemplateParam(int index) { this.index = index; }

    /** {@return the argument in {@code f}; inside a pack expansion, the current element of a pack} */
    Node arg(Frame f, Out o) {
      if (f == null || index >= f.args.size()) throw fail();
      Node r = f.args.get(index);
      if (r instanceof Pack p && o.packIndex >= 0) {
        if (o.packIndex >= p.elements.size()) throw fail();
        r = p.elements.get(o.packIndex);
      }
      return r;
    }

    @Override Node resolve(Out o) { return arg(o.templates, o); }

    @Override void printLeft(Out o) {
      Frame f = o.templates;
      Node a = arg(f, o);
      o.enter();
      o.templates = f.next;
      try {
        a.printLeft(o);
      } finally {
        o.templates = f;
        o.leave();
      }
    }

    @Override void printRight(Out o) {
      Frame f = o.templates;
      Node a = arg(f, o);
      o.enter();
      o.templates = f.next;
      try {
        a.printRight(o);
      } finally {
        o.templates = f;
        o.leave();
      }
    }

    @Override boolean needsParens(Out o) {
      Frame f = o.templates;
      Node a = arg(f, o);
      o.enter();
      o.templates = f.next;
      try {
        return a.needsParens(o);
      } finally {
        o.templates = f;
        o.leave();
      }
    }

    @Override boolean hasRightPart(Out o) {
      Frame f = o.templates;
      Node a = arg(f, o);
      o.enter();
      o.templates = f.next;
      try {
        return a.hasRightPart(o);
      } finally {
        o.templates = f;
        o.leave();
      }
    }

    @Override boolean isFunction(Out o) {
      Frame f = o.templates;
      Node a = arg(f, o);
      o.enter();
      o.templates = f.next;
      try {
        return a.isFunction(o);
      } finally {
        o.templates = f;
        o.leave();
      }
    }

    @Override String lastName(Out o) {
      Frame f = o.templates;
      Node a = arg(f, o);
      o.enter();
      o.templates = f.next;
      try {
        return a.lastName(o);
      } finally {
        o.templates = f;
        o.leave();
      }
    }
  }

  /** {@return {@code n} with template parameters replaced by their arguments, leaving {@code o} in the arguments' scope} */
  private static Node unwrap(Node n, Out o) {
    int hops = 0;
    while (n instanceof TemplateParam p) {
      Frame f = o.templates;
      n = p.arg(f, o);
      o.templates = f.next;
      if (++hops > MAX_DEPTH) throw fail();
    }
    return n;
  }

  private static final class Cv extends Node {
    final Node child;
    final String quals;    // e.g. " const volatile"

    Cv(Node child, String quals) {
      this.child = child;
      this.quals = quals;
    }

    @Override void printLeft(Out o) {
      child.printLeft(o);
      if (!child.isFunction(o) && !alreadyQualified(o)) o.add(quals);
    }

    /** c++filt prints a qualifier once when a template argument already carries it: {@code T const} with {@code T = int const}. */
    private boolean alreadyQualified(Out o) {
      Frame saved = o.templates;
      try {
        return unwrap(child, o) instanceof Cv c && c.quals.contains(quals);
      } finally {
        o.templates = saved;
      }
    }

    @Override void printRight(Out o) {
      child.printRight(o);
      if (child.isFunction(o)) o.add(quals);
    }

    @Override boolean needsParens(Out o) { return child.needsParens(o); }

    @Override boolean hasRightPart(Out o) { return child.hasRightPart(o); }

    @Override boolean isFunction(Out o) { return child.isFunction(o); }
  }

  /** A pointer ({@code *}), lvalue reference ({@code &}) or rvalue reference ({@code &&}). */
  private static final class Pointer extends Node {
    final Node child;
    final String sym;

    Pointer(Node child, String sym) {
      this.child = child;
      this.sym = sym;
    }

    /** Reference collapsing through template parameters: {@code T&&} with {@code T = int&} is {@code int&}. */
    @Override void printLeft(Out o) {
      Frame saved = o.templates;
      try {
        Node c = unwrap(child, o);
        if (!sym.equals("*") && c instanceof Pointer p && !p.sym.equals("*")) {
          // reference collapsing: & + & = &, & + && = &, && + & = &, && + && = &&
          new Pointer(p.child, sym.equals("&") || p.sym.equals("&") ? "&" : "&&").printLeft(o);
          return;
        }
        c.printLeft(o);
        if (c.needsParens(o)) openParen(c, o);
        o.add(sym);
      } finally {
        o.templates = saved;
      }
    }

    @Override boolean hasRightPart(Out o) {
      Frame saved = o.templates;
      try {
        return unwrap(child, o).needsParens(o);
      } finally {
        o.templates = saved;
      }
    }

    @Override void printRight(Out o) {
      Frame saved = o.templates;
      try {
        Node c = unwrap(child, o);
        if (!sym.equals("*") && c instanceof Pointer p && !p.sym.equals("*")) {
          new Pointer(p.child, sym.equals("&") || p.sym.equals("&") ? "&" : "&&").printRight(o);
          return;
        }
        if (c.needsParens(o)) o.add(')');
        c.printRight(o);
      } finally {
        o.templates = saved;
      }
    }
  }

  /** Opens the parenthesis around a declarator, spaced as c++filt spaces it: {@code int (*) [5]}, {@code void (*)(int)}, {@code (**)}. */
  private static void openParen(Node target, Out o) {
    boolean array = target instanceof ArrayType || (target instanceof Cv cv && cv.child instanceof ArrayType);
    if (array ? o.last() != ' ' : (o.last() != ' ' && o.last() != '(' && o.last() != '*')) o.add(' ');
    o.add('(');
  }

  private static final class PtrMem extends Node {
    final Node cls, member;

    PtrMem(Node cls, Node member) {
      this.cls = cls;
      this.member = member;
    }

    @Override void printLeft(Out o) {
      member.printLeft(o);
      if (member.needsParens(o)) {
        if (o.last() != ' ' && o.last() != '(') o.add(' ');
        o.add('(');
      } else o.add(' ');
      cls.print(o);
      o.add("::*");
    }

    @Override void printRight(Out o) {
      if (member.needsParens(o)) o.add(')');
      member.printRight(o);
    }
  }

  private static final class FunctionType extends Node {
    final Node ret;
    final List<Node> params;
    final String suffix;   // ref-qualifier and exception specification

    FunctionType(Node ret, List<Node> params, String suffix) {
      this.ret = ret;
      this.params = params;
      this.suffix = suffix;
    }

    @Override void printLeft(Out o) {
      ret.printLeft(o);
      if (!ret.hasRightPart(o) && o.last() != ' ' && o.last() != '(') o.add(' ');
    }

    @Override void printRight(Out o) {
      o.add('(');
      printList(params, o);
      o.add(')');
      ret.printRight(o);
      o.add(suffix);
    }

    @Override boolean needsParens(Out o) { return true; }

    @Override boolean isFunction(Out o) { return true; }
  }

  private static final class ArrayType extends Node {
    final Node dim;   // null for an array of unknown bound
    final Node elem;

    ArrayType(Node dim, Node elem) {
      this.dim = dim;
      this.elem = elem;
    }

    @Override void printLeft(Out o) { elem.printLeft(o); }

    @Override void printRight(Out o) {
      if (o.last() != ']') o.add(' ');
      o.add('[');
      if (dim != null) dim.print(o);
      o.add(']');
      elem.printRight(o);
    }

    @Override boolean needsParens(Out o) { return true; }
  }

  private static final class Postfix extends Node {
    final Node child;
    final String text;

    Postfix(Node child, String text) {
      this.child = child;
      this.text = text;
    }

    @Override void printLeft(Out o) {
      child.print(o);
      o.add(text);
    }
  }

  /** A function: its name, return type (for templates), parameters and the cv-/ref-qualifiers of a member. */
  private static final class Encoding extends Node {
    final Node name, ret;
    final List<Node> params;
    final String quals;

    Encoding(Node name, Node ret, List<Node> params, String quals) {
      this.name = name;
      this.ret = ret;
      this.params = params;
      this.quals = quals;
    }

    /** The frame of template arguments this function's parameters refer to: those of its own name, if a template. */
    private Frame frame(Out o) {
      Node n = name;
      if (n instanceof Local l) n = l.entity;
      return n instanceof Template t ? new Frame(t.args, o.templates) : o.templates;
    }

    void printWithoutReturnType(Out o) {
      o.enter();
      Frame saved = o.templates;
      o.templates = frame(o);
      name.print(o);
      o.add('(');
      printList(params, o);
      o.add(')');
      o.add(quals);
      o.templates = saved;
      o.leave();
    }

    @Override void printLeft(Out o) {
      Frame saved = o.templates;
      o.templates = frame(o);
      try {
        printAll(o);
      } finally {
        o.templates = saved;
      }
    }

    private void printAll(Out o) {
      if (ret != null) {
        ret.printLeft(o);
        if (!ret.hasRightPart(o) || (o.last() != '(' && o.last() != '*' && o.last() != '&')) o.add(' ');
      }
      name.print(o);
      o.add('(');
      printList(params, o);
      o.add(')');
      o.add(quals);
      if (ret != null) ret.printRight(o);
    }
  }

  private static final class Special extends Node {
    final String prefix;
    final Node child;

    Special(String prefix, Node child) {
      this.prefix = prefix;
      this.child = child;
    }

    @Override void printLeft(Out o) {
      o.add(prefix);
      child.print(o);
    }
  }

  private static final class CtorDtor extends Node {
    final Node scope;
    final boolean dtor;

    CtorDtor(Node scope, boolean dtor) {
      this.scope = scope;
      this.dtor = dtor;
    }

    @Override void printLeft(Out o) {
      if (dtor) o.add('~');
      o.add(scope.lastName(o));
    }
  }

  private static final class Lambda extends Node {
    final List<Node> params;
    final int number;

    Lambda(List<Node> params, int number) {
      this.params = params;
      this.number = number;
    }

    @Override void printLeft(Out o) {
      o.add("{lambda(");
      printList(params, o);
      o.add(")#").add(Integer.toString(number)).add('}');
    }

    @Override String lastName(Out o) { throw fail(); }
  }

  private static final class Local extends Node {
    final Node encoding, entity;

    Local(Node encoding, Node entity) {
      this.encoding = encoding;
      this.entity = entity;
    }

    @Override void printLeft(Out o) {
      if (encoding instanceof Encoding e) e.printWithoutReturnType(o);
      else encoding.print(o);
      o.add("::");
      entity.print(o);
    }

    @Override String lastName(Out o) { return entity.lastName(o); }
  }

  private static final class ConversionOp extends Node {
    final Node type;

    ConversionOp(Node type) { this.type = type; }

    @Override void printLeft(Out o) {
      o.add("operator ");
      Frame saved = o.templates;
      if (o.current != null) o.templates = new Frame(o.current.args, saved);
      type.print(o);
      o.templates = saved;
    }
  }

  private static final class Decltype extends Node {
    final Node expr;

    Decltype(Node expr) { this.expr = expr; }

    @Override void printLeft(Out o) {
      o.add("decltype (");
      expr.print(o);
      o.add(')');
    }
  }

  private static final class Literal extends Node {
    final Node type;
    final String value;

    Literal(Node type, String value) {
      this.type = type;
      this.value = value;
    }

    @Override void printLeft(Out o) {
      String t = type instanceof Name n ? n.text : null;
      boolean neg = value.startsWith("n");
      String v = neg ? "-" + value.substring(1) : value;
      if (t != null) {
        switch (t) {
          case "int" -> { o.add(v); return; }
          case "unsigned int" -> { o.add(v).add('u'); return; }
          case "long" -> { o.add(v).add('l'); return; }
          case "unsigned long" -> { o.add(v).add("ul"); return; }
          case "long long" -> { o.add(v).add("ll"); return; }
          case "unsigned long long" -> { o.add(v).add("ull"); return; }
          case "bool" -> {
            if (value.equals("0")) { o.add("false"); return; }
            if (value.equals("1")) { o.add("true"); return; }
          }
          default -> {}
        }
      }
      o.add('(');
      type.print(o);
      o.add(')');
      if (value.isEmpty() && t != null && t.equals("decltype(nullptr)")) o.add('0');
      else o.add(v);
    }
  }

  // ---- expressions (decltype and template arguments) ----------------------------------------------------------

  private abstract static class Expr extends Node {
    abstract List<Node> operands();
  }

  private static boolean simple(Node n) {
    return n instanceof Name || n instanceof Qual || n instanceof FunctionParam || n instanceof InitList;
  }

  private static void sub(Node n, Out o) {
    boolean s = simple(n);
    if (!s) o.add('(');
    n.print(o);
    if (!s) o.add(')');
  }

  private static final class FunctionParam extends Node {
    final String text;

    FunctionParam(String text) { this.text = text; }

    @Override void printLeft(Out o) { o.add(text); }
  }

  private static final class InitList extends Expr {
    final Node type;
    final List<Node> items;

    InitList(Node type, List<Node> items) {
      this.type = type;
      this.items = items;
    }

    @Override void printLeft(Out o) {
      if (type != null) type.print(o);
      o.add('{');
      printList(items, o);
      o.add('}');
    }

    @Override List<Node> operands() { return items; }
  }

  private static final class Unary extends Expr {
    final String op;
    final Node arg;

    Unary(String op, Node arg) {
      this.op = op;
      this.arg = arg;
    }

    @Override void printLeft(Out o) {
      o.add(op);
      // like c++filt: the address of a non-template member function is printed without its parameters
      if (op.equals("&") && arg instanceof Encoding e && e.ret == null && e.name instanceof Qual) e.name.print(o);
      else sub(arg, o);
    }

    @Override List<Node> operands() { return List.of(arg); }
  }

  private static final class Binary extends Expr {
    final String op;
    final Node left, right;

    Binary(String op, Node left, Node right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override void printLeft(Out o) {
      boolean gt = op.equals(">");
      if (gt) o.add('(');
      if (op.equals(".") || op.equals("->")) {
        sub(left, o);
        o.add(op);
        right.print(o);
      } else {
        sub(left, o);
        o.add(op);
        sub(right, o);
      }
      if (gt) o.add(')');
    }

    @Override List<Node> operands() { return List.of(left, right); }
  }

  private static final class Ternary extends Expr {
    final Node a, b, c;

    Ternary(Node a, Node b, Node c) {
      this.a = a;
      this.b = b;
      this.c = c;
    }

    @Override void printLeft(Out o) {
      sub(a, o);
      o.add('?');
      sub(b, o);
      o.add(" : ");
      sub(c, o);
    }

    @Override List<Node> operands() { return List.of(a, b, c); }
  }

  private static final class Call extends Expr {
    final Node fn;
    final List<Node> args;

    Call(Node fn, List<Node> args) {
      this.fn = fn;
      this.args = args;
    }

    @Override void printLeft(Out o) {
      sub(fn, o);
      o.add('(');
      printList(args, o);
      o.add(')');
    }

    @Override List<Node> operands() {
      List<Node> l = new ArrayList<>(args);
      l.add(fn);
      return l;
    }
  }

  private static final class Cast extends Expr {
    final String kind;  // null for a C-style conversion
    final Node type;
    final List<Node> args;

    Cast(String kind, Node type, List<Node> args) {
      this.kind = kind;
      this.type = type;
      this.args = args;
    }

    @Override void printLeft(Out o) {
      if (kind != null) {
        o.add(kind).add('<');
        type.print(o);
        o.add(">(");
        printList(args, o);
        o.add(')');
        return;
      }
      o.add('(');
      type.print(o);
      o.add(')');
      if (args.size() == 1) sub(args.get(0), o);
      else {
        o.add('(');
        printList(args, o);
        o.add(')');
      }
    }

    @Override List<Node> operands() { return args; }
  }

  private static final class Keyword extends Expr {
    final String word;
    final Node arg;

    Keyword(String word, Node arg) {
      this.word = word;
      this.arg = arg;
    }

    @Override void printLeft(Out o) {
      o.add(word).add(" (");
      arg.print(o);
      o.add(')');
    }

    @Override List<Node> operands() { return List.of(arg); }
  }

  private static final class SizeofPack extends Expr {
    final Node arg;

    SizeofPack(Node arg) { this.arg = arg; }

    @Override void printLeft(Out o) {
      o.add("sizeof...(");
      arg.print(o);
      o.add(')');
    }

    @Override List<Node> operands() { return List.of(); }
  }

  // ---- parser -------------------------------------------------------------------------------------------------

  /** What the name of an encoding told: whether a return type follows, and the qualifiers of a member function. */
  private static final class NameState {
    String cv = "";
    String ref = "";
    boolean endsWithTemplateArgs;
    boolean ctorDtorConversion;
  }

  private static final String[][] OPERATORS = {
      // code, name, arity (1 prefix, 2 binary, 3 ternary, 0 special)
      {"nw", "new", "0"}, {"na", "new[]", "0"}, {"dl", "delete", "1"}, {"da", "delete[]", "1"}, {"ps", "+", "1"},
      {"ng", "-", "1"}, {"ad", "&", "1"}, {"de", "*", "1"}, {"co", "~", "1"}, {"pl", "+", "2"}, {"mi", "-", "2"},
      {"ml", "*", "2"}, {"dv", "/", "2"}, {"rm", "%", "2"}, {"an", "&", "2"}, {"or", "|", "2"}, {"eo", "^", "2"},
      {"aS", "=", "2"}, {"pL", "+=", "2"}, {"mI", "-=", "2"}, {"mL", "*=", "2"}, {"dV", "/=", "2"}, {"rM", "%=", "2"},
      {"aN", "&=", "2"}, {"oR", "|=", "2"}, {"eO", "^=", "2"}, {"ls", "<<", "2"}, {"rs", ">>", "2"}, {"lS", "<<=", "2"},
      {"rS", ">>=", "2"}, {"eq", "==", "2"}, {"ne", "!=", "2"}, {"lt", "<", "2"}, {"gt", ">", "2"}, {"le", "<=", "2"},
      {"ge", ">=", "2"}, {"ss", "<=>", "2"}, {"nt", "!", "1"}, {"aa", "&&", "2"}, {"oo", "||", "2"}, {"pp", "++", "1"},
      {"mm", "--", "1"}, {"cm", ",", "2"}, {"pm", "->*", "2"}, {"pt", "->", "2"}, {"cl", "()", "0"}, {"ix", "[]", "2"},
      {"qu", "?", "3"}, {"st", "sizeof ", "0"}, {"sz", "sizeof ", "1"}, {"at", "alignof ", "0"}, {"az", "alignof ", "1"},
      {"aw", "co_await", "1"}};

  private static String[] operator(String code) {
    for (String[] op : OPERATORS) if (op[0].equals(code)) return op;
    return null;
  }

  private static final class Parser {
    final String s;
    int pos;
    int depth;
    final List<Node> subs = new ArrayList<>();
    boolean inLambdaSig;
    boolean inConversionType;

    Parser(String s) { this.s = s; }

    char peek() { return pos < s.length() ? s.charAt(pos) : 0; }

    char peek(int k) { return pos + k < s.length() ? s.charAt(pos + k) : 0; }

    boolean eat(char c) {
      if (peek() == c) {
        pos++;
        return true;
      }
      return false;
    }

    boolean eat(String t) {
      if (s.startsWith(t, pos)) {
        pos += t.length();
        return true;
      }
      return false;
    }

    void expect(char c) { if (!eat(c)) throw fail(); }

    void enter() { if (++depth > MAX_DEPTH) throw fail(); }

    void leave() { depth--; }

    Node mangledName() {
      if (!eat("_Z")) throw fail();
      Node n = encoding();
      while (peek() == '.' && (Character.isLowerCase(peek(1)) || peek(1) == '_' || Character.isDigit(peek(1)))) {
        int start = pos;
        pos++;
        while (Character.isLowerCase(peek()) || Character.isDigit(peek()) || peek() == '_') pos++;
        while (peek() == '.' && Character.isDigit(peek(1))) {
          pos++;
          while (Character.isDigit(peek())) pos++;
        }
        n = new Postfix(n, " [clone " + s.substring(start, pos) + "]");
      }
      if (pos != s.length()) throw fail();
      return n;
    }

    Node encoding() {
      enter();
      try {
        char c = peek();
        if (c == 'T' || c == 'G') return specialName();
        NameState st = new NameState();
        Node name = name(st, true);
        c = peek();
        if (c == 0 || c == 'E' || c == '.') return name;
        Node ret = null;
        if (st.endsWithTemplateArgs && !st.ctorDtorConversion) ret = type();
        List<Node> params = bareFunctionType();
        return new Encoding(name, ret, params, st.cv + st.ref);
      } finally {
        leave();
      }
    }

    List<Node> bareFunctionType() {
      List<Node> params = new ArrayList<>();
      if (peek() == 'v' && (peek(1) == 0 || peek(1) == 'E' || peek(1) == '.')) {
        pos++;
        return params;
      }
      do params.add(type()); while (peek() != 0 && peek() != 'E' && peek() != '.');
      return params;
    }

    Node specialName() {
      if (eat("TV")) return new Special("vtable for ", type());
      if (eat("TT")) return new Special("VTT for ", type());
      if (eat("TI")) return new Special("typeinfo for ", type());
      if (eat("TS")) return new Special("typeinfo name for ", type());
      if (eat("TH")) return new Special("TLS init function for ", name(new NameState(), false));
      if (eat("TW")) return new Special("TLS wrapper function for ", name(new NameState(), false));
      if (eat("TA")) return new Special("template parameter object for ", templateArg());
      if (eat("Th")) {
        number();
        expect('_');
        return new Special("non-virtual thunk to ", encoding());
      }
      if (eat("Tv")) {
        number();
        expect('_');
        number();
        expect('_');
        return new Special("virtual thunk to ", encoding());
      }
      if (eat("Tc")) {
        callOffset();
        callOffset();
        return new Special("covariant return thunk to ", encoding());
      }
      if (eat("TC")) {
        Node derived = type();
        number();
        expect('_');
        Node base = type();
        return new Special("construction vtable for ", new Postfix(base, "-in-" + text(derived)));
      }
      if (eat("GV")) return new Special("guard variable for ", name(new NameState(), false));
      if (eat("GR")) {
        Node n = name(new NameState(), false);
        long seq = Character.isDigit(peek()) ? number() : 0;   // c++filt reads a plain number and no '_'
        return new Special("reference temporary #" + seq + " for ", n);
      }
      if (eat("GTt")) return new Special("transaction clone for ", encoding());
      if (eat("GTn")) return new Special("non-transaction clone for ", encoding());
      throw fail();
    }

    String text(Node n) {
      Out o = new Out();
      n.print(o);
      return o.sb.toString();
    }

    void callOffset() {
      if (eat('h')) {
        number();
        expect('_');
      } else if (eat('v')) {
        number();
        expect('_');
        number();
        expect('_');
      } else throw fail();
    }

    long number() {
      boolean neg = eat('n');
      if (!Character.isDigit(peek())) throw fail();
      long v = 0;
      while (Character.isDigit(peek())) {
        v = v * 10 + (s.charAt(pos++) - '0');
        if (v > Integer.MAX_VALUE) throw fail();
      }
      return neg ? -v : v;
    }

    int seqId() {
      long v = 0;
      boolean any = false;
      while (true) {
        char c = peek();
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (c >= 'A' && c <= 'Z') d = c - 'A' + 10;
        else break;
        v = v * 36 + d;
        if (v > Integer.MAX_VALUE) throw fail();
        pos++;
        any = true;
      }
      if (!any) throw fail();
      return (int) v;
    }

    void addSub(Node n) { subs.add(n); }

    // <name>
    Node name(NameState st, boolean tag) {
      enter();
      try {
        char c = peek();
        if (c == 'N') return nestedName(st, tag);
        if (c == 'Z') return localName(st, tag);
        Node n;
        if (c == 'S' && peek(1) == 't') {
          pos += 2;
          n = new Qual(new Name("std"), unqualifiedName(st, null));
        } else if (c == 'S') {
          n = substitution();
          if (peek() != 'I') throw fail();
          st.endsWithTemplateArgs = true;
          st.ctorDtorConversion = false;
          return new Template(n, templateArgs(tag));
        } else {
          n = unqualifiedName(st, null);
        }
        if (peek() == 'I') {
          addSub(n);
          n = new Template(n, templateArgs(tag));
          st.endsWithTemplateArgs = true;
          st.ctorDtorConversion = false;
        }
        return n;
      } finally {
        leave();
      }
    }

    Node nestedName(NameState st, boolean tag) {
      expect('N');
      st.cv = cvQualifiers();
      if (eat('R')) st.ref = " &";
      else if (eat('O')) st.ref = " &&";
      Node cur = null;
      while (!eat('E')) {
        char c = peek();
        if (c == 0) throw fail();
        boolean wasCtor = st.ctorDtorConversion;
        st.endsWithTemplateArgs = false;
        st.ctorDtorConversion = false;
        if (c == 'S' && peek(1) == 't') {
          if (cur != null) throw fail();
          pos += 2;
          cur = new Name("std");
          Node u = unqualifiedName(st, cur);
          cur = new Qual(cur, u);
          if (peek() != 'E') addSub(cur);
          continue;
        }
        if (c == 'S') {
          if (cur != null) throw fail();
          cur = substitution();
          continue;
        }
        if (c == 'I') {
          if (cur == null) throw fail();
          st.ctorDtorConversion = wasCtor;
          cur = new Template(cur, templateArgs(tag));
          st.endsWithTemplateArgs = true;
          if (peek() != 'E') addSub(cur);
          continue;
        }
        if (c == 'T') {
          if (cur != null) throw fail();
          cur = templateParam();
          addSub(cur);
          continue;
        }
        if (c == 'D' && (peek(1) == 't' || peek(1) == 'T')) {
          if (cur != null) throw fail();
          cur = decltype();
          addSub(cur);
          continue;
        }
        if (c == 'M') {
          pos++;
          continue;
        }
        Node u = unqualifiedName(st, cur);
        cur = cur == null ? u : new Qual(cur, u);
        if (peek() != 'E') addSub(cur);
      }
      if (cur == null) throw fail();
      return cur;
    }

    Node localName(NameState st, boolean tag) {
      expect('Z');
      Node enc = encoding();
      expect('E');
      if (eat('s')) {
        discriminator();
        return new Local(enc, new Name("string literal"));
      }
      if (eat('d')) {
        int n = peek() == '_' ? 0 : (int) number() + 1;
        expect('_');
        Node entity = name(st, tag);
        return new Local(enc, new Qual(new Name("{default arg#" + (n + 1) + "}"), entity));
      }
      Node entity = name(st, tag);
      discriminator();
      return new Local(enc, entity);
    }

    void discriminator() {
      if (peek() != '_') return;
      pos++;
      boolean two = eat('_');
      long n = number();
      if (n < 0) throw fail();
      if (two && n >= 10) expect('_');
    }

    String cvQualifiers() {
      boolean r = eat('r'), v = eat('V'), k = eat('K');
      StringBuilder b = new StringBuilder();
      if (k) b.append(" const");
      if (v) b.append(" volatile");
      if (r) b.append(" restrict");
      return b.toString();
    }

    Node unqualifiedName(NameState st, Node scope) {
      char c = peek();
      Node n;
      if (Character.isDigit(c)) n = sourceName();
      else if (c >= 'a' && c <= 'z') {
        n = operatorName(st);
      } else if (c == 'C') {
        pos++;
        if (eat('I')) {                       // inheriting constructor: CI1 <base class type>
          if (peek() < '1' || peek() > '5') throw fail();
          pos++;
          type();
        } else {
          if (peek() < '1' || peek() > '5') throw fail();
          pos++;
        }
        if (scope == null) throw fail();
        st.ctorDtorConversion = true;
        n = new CtorDtor(scope, false);
      } else if (c == 'D' && peek(1) >= '0' && peek(1) <= '5') {
        pos += 2;
        if (scope == null) throw fail();
        st.ctorDtorConversion = true;
        n = new CtorDtor(scope, true);
      } else if (c == 'D' && peek(1) == 'C') {
        pos += 2;
        List<Node> names = new ArrayList<>();
        while (!eat('E')) names.add(sourceName());
        Out o = new Out();
        o.add('[');
        printList(names, o);
        o.add(']');
        n = new Name(o.sb.toString());
      } else if (c == 'U' && peek(1) == 't') {
        pos += 2;
        int num = peek() == '_' ? 1 : (int) number() + 2;
        expect('_');
        n = new Name("{unnamed type#" + num + "}");
      } else if (c == 'U' && peek(1) == 'l') {
        pos += 2;
        boolean saved = inLambdaSig;
        inLambdaSig = true;
        List<Node> params = new ArrayList<>();
        try {
          if (peek() == 'v' && peek(1) == 'E') pos++;
          else while (peek() != 'E') {
            if (peek() == 0) throw fail();
            params.add(type());
          }
        } finally {
          inLambdaSig = saved;
        }
        expect('E');
        int num = peek() == '_' ? 1 : (int) number() + 2;
        expect('_');
        n = new Lambda(params, num);
      } else if (c == 'L') {
        pos++;
        n = sourceName();
        discriminator();
      } else throw fail();
      while (peek() == 'B') {
        pos++;
        n = new AbiTag(n, identifier());
      }
      return n;
    }

    String identifier() {
      long len = number();
      if (len <= 0 || pos + len > s.length()) throw fail();
      String id = s.substring(pos, pos + (int) len);
      pos += (int) len;
      return id;
    }

    Node sourceName() {
      String id = identifier();
      if (id.length() >= 10 && id.startsWith("_GLOBAL_") && (id.charAt(8) == '.' || id.charAt(8) == '_' || id.charAt(8) == '$')
          && id.charAt(9) == 'N') return new Name("(anonymous namespace)");
      return new Name(id);
    }

    Node operatorName(NameState st) {
      if (eat("cv")) {
        boolean saved = inConversionType;
        inConversionType = true;
        Node t;
        try {
          t = type();
        } finally {
          inConversionType = saved;
        }
        st.ctorDtorConversion = true;
        return new ConversionOp(t);
      }
      if (eat("li")) return new Name("operator\"\" " + identifier());
      if (peek() == 'v' && Character.isDigit(peek(1))) {
        pos += 2;
        return new Name("operator " + identifier());
      }
      if (pos + 2 > s.length()) throw fail();
      String[] op = operator(s.substring(pos, pos + 2));
      if (op == null) throw fail();
      pos += 2;
      String name = op[1].trim();
      boolean word = Character.isLetter(name.charAt(0));
      return new Name("operator" + (word ? " " : "") + name);
    }

    Node substitution() {
      expect('S');
      char c = peek();
      if (c == '_') {
        pos++;
        if (subs.isEmpty()) throw fail();
        return subs.get(0);
      }
      if (Character.isDigit(c) || Character.isUpperCase(c)) {
        int id = seqId() + 1;
        expect('_');
        if (id >= subs.size()) throw fail();
        return subs.get(id);
      }
      pos++;
      return switch (c) {
        case 'a' -> new Name("std::allocator", "allocator");
        case 'b' -> new Name("std::basic_string", "basic_string");
        case 's' -> new Name("std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "basic_string");
        case 'i' -> new Name("std::basic_istream<char, std::char_traits<char> >", "basic_istream");
        case 'o' -> new Name("std::basic_ostream<char, std::char_traits<char> >", "basic_ostream");
        case 'd' -> new Name("std::basic_iostream<char, std::char_traits<char> >", "basic_iostream");
        default -> throw fail();
      };
    }

    Node templateParam() {
      expect('T');
      if (eat('L')) {                      // TL <level> __ / TL <level> _ <index> _
        number();
        expect('_');
      }
      int idx = peek() == '_' ? 0 : (int) number() + 1;
      expect('_');
      if (inLambdaSig) return new Name("auto:" + (idx + 1));
      return new TemplateParam(idx);
    }

    List<Node> templateArgs(boolean tag) {
      expect('I');
      List<Node> args = new ArrayList<>();
      while (!eat('E')) {
        if (peek() == 0) throw fail();
        args.add(templateArg());
        if (eat('Q')) expression();     // requires-clause: not printed
      }
      return args;
    }

    Node templateArg() {
      enter();
      try {
        char c = peek();
        if (c == 'L') return exprPrimary();
        if (c == 'X') {
          pos++;
          Node e = expression();
          expect('E');
          return e;
        }
        if (c == 'J') {
          pos++;
          List<Node> elems = new ArrayList<>();
          while (!eat('E')) {
            if (peek() == 0) throw fail();
            elems.add(templateArg());
          }
          return new Pack(elems);
        }
        return type();
      } finally {
        leave();
      }
    }

    Node exprPrimary() {
      expect('L');
      if (eat("_Z") || eat('Z')) {
        Node e = encoding();
        expect('E');
        return e;
      }
      Node t = type();
      int start = pos;
      while (peek() != 'E') {
        if (peek() == 0) throw fail();
        pos++;
      }
      String v = s.substring(start, pos);
      pos++;
      return new Literal(t, v);
    }

    Node decltype() {
      expect('D');
      if (!eat('t') && !eat('T')) throw fail();
      Node e = expression();
      expect('E');
      return new Decltype(e);
    }

    Node type() {
      enter();
      try {
        return type0();
      } finally {
        leave();
      }
    }

    private Node type0() {
      char c = peek();
      String builtin = builtin(c);
      if (builtin != null) {
        pos++;
        return new Name(builtin);
      }
      Node t;
      switch (c) {
        case 'r', 'V', 'K' -> {
          String q = cvQualifiers();
          // qualifiers of a function type apply to 'this': the unqualified function type is no substitution candidate
          Node inner = peek() == 'F' ? functionType("") : type();
          t = new Cv(inner, q);
        }
        case 'P' -> { pos++; t = new Pointer(type(), "*"); }
        case 'R' -> { pos++; t = new Pointer(type(), "&"); }
        case 'O' -> { pos++; t = new Pointer(type(), "&&"); }
        case 'C' -> { pos++; t = new Postfix(type(), " _Complex"); }
        case 'G' -> { pos++; t = new Postfix(type(), " _Imaginary"); }
        case 'F' -> t = functionType("");
        case 'A' -> t = arrayType();
        case 'M' -> {
          pos++;
          Node cls = type();
          Node mem = type();
          t = new PtrMem(cls, mem);
        }
        case 'T' -> {
          t = templateParam();
          if (peek() == 'I' && !inConversionType) {
            addSub(t);
            t = new Template(t, templateArgs(false));
          }
        }
        case 'u' -> {
          pos++;
          t = new Name(identifier());
        }
        case 'U' -> {
          pos++;
          String q = identifier();
          if (peek() == 'I') q += text(new Template(new Name(""), templateArgs(false)));
          Node inner = type();
          t = new Postfix(inner, " " + q);
        }
        case 'D' -> {
          char d = peek(1);
          switch (d) {
            case 'p' -> { pos += 2; t = new PackExpansion(type()); }
            case 't', 'T' -> t = decltype();
            case 'v' -> {
              pos += 2;
              Node dim;
              if (peek() == '_') {
                pos++;
                dim = expression();
              } else dim = new Name(Long.toString(number()));
              expect('_');
              t = new Postfix(type(), " __vector(" + text(dim) + ")");
            }
            case 'F' -> {
              pos += 2;
              long n = number();
              expect('_');
              return new Name("_Float" + n);
            }
            case 'x' -> { pos += 2; t = functionType(""); }
            case 'o' -> { pos += 2; t = functionType(" noexcept"); }
            case 'O' -> {
              pos += 2;
              Node e = expression();
              expect('E');
              t = functionType(" noexcept(" + text(e) + ")");
            }
            case 'w' -> {
              pos += 2;
              while (!eat('E')) {
                if (peek() == 0) throw fail();
                type();
              }
              t = functionType("");
            }
            default -> {
              String b = dBuiltin(d);
              if (b == null) throw fail();
              pos += 2;
              return new Name(b);
            }
          }
        }
        case 'S' -> {
          if (peek(1) == 't') {
            NameState st = new NameState();
            t = name(st, false);
            // name() added the unscoped template name; the specialization is added below
          } else {
            Node sub = substitution();
            if (peek() == 'I') {
              if (!(sub instanceof Name)) {
                // a substitution for a template name followed by arguments
              }
              t = new Template(sub, templateArgs(false));
            } else return sub;
          }
        }
        case 'N', 'Z' -> t = name(new NameState(), false);
        default -> {
          if (Character.isDigit(c)) t = name(new NameState(), false);
          else throw fail();
        }
      }
      addSub(t);
      return t;
    }

    Node functionType(String exception) {
      expect('F');
      eat('Y');
      Node ret = type();
      List<Node> params = new ArrayList<>();
      String ref = "";
      while (true) {
        if (eat('E')) break;
        if (peek() == 'v' && peek(1) == 'E') {
          pos++;
          continue;
        }
        if ((peek() == 'R' || peek() == 'O') && peek(1) == 'E') {
          ref = peek() == 'R' ? " &" : " &&";
          pos++;
          continue;
        }
        if (peek() == 0) throw fail();
        params.add(type());
      }
      return new FunctionType(ret, params, ref + exception);
    }

    Node arrayType() {
      expect('A');
      Node dim = null;
      if (Character.isDigit(peek())) dim = new Name(Long.toString(number()));
      else if (peek() != '_') dim = expression();
      expect('_');
      return new ArrayType(dim, type());
    }

    static String builtin(char c) {
      return switch (c) {
        case 'v' -> "void"; case 'w' -> "wchar_t"; case 'b' -> "bool"; case 'c' -> "char"; case 'a' -> "signed char";
        case 'h' -> "unsigned char"; case 's' -> "short"; case 't' -> "unsigned short"; case 'i' -> "int";
        case 'j' -> "unsigned int"; case 'l' -> "long"; case 'm' -> "unsigned long"; case 'x' -> "long long";
        case 'y' -> "unsigned long long"; case 'n' -> "__int128"; case 'o' -> "unsigned __int128"; case 'f' -> "float";
        case 'd' -> "double"; case 'e' -> "long double"; case 'g' -> "__float128"; case 'z' -> "...";
        default -> null;
      };
    }

    static String dBuiltin(char c) {
      return switch (c) {
        case 'd' -> "decimal64"; case 'e' -> "decimal128"; case 'f' -> "decimal32"; case 'h' -> "half";
        case 'i' -> "char32_t"; case 's' -> "char16_t"; case 'u' -> "char8_t"; case 'a' -> "auto";
        case 'c' -> "decltype(auto)"; case 'n' -> "decltype(nullptr)";
        default -> null;
      };
    }

    // <expression>
    Node expression() {
      enter();
      try {
        return expression0();
      } finally {
        leave();
      }
    }

    private Node expression0() {
      char c = peek();
      if (c == 'L') return exprPrimary();
      if (c == 'T') return templateParam();
      if (c == 'f' && peek(1) == 'p') {
        pos += 2;
        cvQualifiers();
        int n = peek() == '_' ? 1 : (int) number() + 2;
        expect('_');
        return new FunctionParam("{parm#" + n + "}");
      }
      if (c == 'f' && peek(1) == 'L') {
        pos += 2;
        number();
        expect('p');
        cvQualifiers();
        int n = peek() == '_' ? 1 : (int) number() + 2;
        expect('_');
        return new FunctionParam("{parm#" + n + "}");
      }
      if (eat("gs")) {
        Node e = expression();
        return new Unary("::", e);
      }
      if (eat("sr")) return unresolvedName(true);
      if (eat("st")) return new Keyword("sizeof", type());
      if (eat("at")) return new Keyword("alignof", type());
      if (eat("sz")) return new Keyword("sizeof", expression());
      if (eat("az")) return new Keyword("alignof", expression());
      if (eat("nx")) return new Keyword("noexcept", expression());
      if (eat("te")) return new Keyword("typeid", expression());
      if (eat("ti")) return new Keyword("typeid", type());
      if (eat("sZ")) return new SizeofPack(peek() == 'T' ? templateParam() : expression());
      if (eat("sp")) return new PackExpansion(expression());
      if (eat("tw")) return new Unary("throw ", expression());
      if (eat("tr")) return new Name("throw");
      if (eat("dn")) return new Unary("~", unqualifiedName(new NameState(), null));
      if (eat("cl")) {
        Node fn = expression();
        List<Node> args = new ArrayList<>();
        while (!eat('E')) {
          if (peek() == 0) throw fail();
          args.add(expression());
        }
        return new Call(fn, args);
      }
      if (eat("cv")) {
        Node t = type();
        List<Node> args = new ArrayList<>();
        if (eat('_')) {
          while (!eat('E')) {
            if (peek() == 0) throw fail();
            args.add(expression());
          }
        } else args.add(expression());
        return new Cast(null, t, args);
      }
      for (String[] k : new String[][] {{"dc", "dynamic_cast"}, {"sc", "static_cast"}, {"cc", "const_cast"}, {"rc", "reinterpret_cast"}})
        if (eat(k[0])) {
          Node t = type();
          return new Cast(k[1], t, List.of(expression()));
        }
      if (eat("tl")) {
        Node t = type();
        List<Node> items = new ArrayList<>();
        while (!eat('E')) {
          if (peek() == 0) throw fail();
          items.add(expression());
        }
        return new InitList(t, items);
      }
      if (eat("il")) {
        List<Node> items = new ArrayList<>();
        while (!eat('E')) {
          if (peek() == 0) throw fail();
          items.add(expression());
        }
        return new InitList(null, items);
      }
      if (eat("dt")) {
        Node l = expression();
        return new Binary(".", l, unresolvedName(false));
      }
      if (eat("pt")) {
        Node l = expression();
        return new Binary("->", l, unresolvedName(false));
      }
      if (pos + 2 <= s.length()) {
        String[] op = operator(s.substring(pos, pos + 2));
        if (op != null && !op[2].equals("0")) {
          pos += 2;
          boolean postfix = (op[0].equals("pp") || op[0].equals("mm")) && eat('_');
          switch (op[2]) {
            case "1" -> {
              Node a = expression();
              return postfix ? new Postfix(a, op[1]) : new Unary(op[1].equals("sizeof ") ? "sizeof " : op[1], a);
            }
            case "2" -> {
              Node a = expression();
              Node b = expression();
              if (op[0].equals("ix")) return new Postfix(a, "[" + text(b) + "]");
              return new Binary(op[1], a, b);
            }
            default -> {
              Node a = expression(), b = expression(), d = expression();
              return new Ternary(a, b, d);
            }
          }
        }
      }
      return unresolvedName(false);
    }

    /** {@code <unresolved-name>}; after {@code sr}, a source name starts a chain of qualifiers ended by {@code E}. */
    Node unresolvedName(boolean afterSr) {
      char c = peek();
      if (c == 'N') {
        pos++;
        Node cur = null;
        if (peek() == 'T' || peek() == 'D' || peek() == 'S') cur = type();
        while (!eat('E')) {
          if (peek() == 0) throw fail();
          Node u = simpleId();
          cur = cur == null ? u : qualify(cur, u);
        }
        return qualify(cur, simpleId());
      }
      if (c == 'T' || c == 'D' || c == 'S') {
        Node t = type();
        return qualify(t, simpleId());
      }
      if (Character.isDigit(c) && afterSr) {      // <unresolved-qualifier-level>+ E <base-unresolved-name>
        Node cur = simpleId();
        while (!eat('E')) {
          if (peek() == 0) throw fail();
          cur = qualify(cur, simpleId());
        }
        return qualify(cur, simpleId());
      }
      if (eat("on")) {
        Node op = operatorName(new NameState());
        if (peek() == 'I') op = new Template(op, templateArgs(false));
        return op;
      }
      if (eat("dn")) return new Unary("~", Character.isDigit(peek()) ? simpleId() : type());
      return simpleId();
    }

    /** {@return {@code scope::name}, with template arguments of {@code name} applied to the qualified name as c++filt does} */
    static Node qualify(Node scope, Node name) {
      if (name instanceof Template t) return new Template(new Qual(scope, t.name), t.args);
      return new Qual(scope, name);
    }

    Node simpleId() {
      Node n = sourceName();
      if (peek() == 'I') n = new Template(n, templateArgs(false));
      return n;
    }
  }
}
