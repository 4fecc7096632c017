package jbpf.lang.parse;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jbpf.lang.ast.AstPrinter;
import jbpf.lang.ast.AttachPoint;
import jbpf.lang.ast.Decl;
import jbpf.lang.ast.Expr;
import jbpf.lang.ast.Node;
import jbpf.lang.ast.Program;
import jbpf.lang.ast.Stmt;
import jbpf.source.CompileException;
import jbpf.source.Diagnostic;
import jbpf.source.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParserTest {
  static Program parse(String text) {
    ParseResult result = Parser.parse(new Source("stdin", text));
    assertEquals("", result.diagnostics().stream().map(Diagnostic::render).collect(Collectors.joining()), "diagnostics of " + text);
    return result.program();
  }

  /** The printed body of {@code BEGIN { statements }}. */
  static String body(String statements) {
    return AstPrinter.print(parse("BEGIN { " + statements + " }").probes().getFirst().body());
  }

  /** The printed value of {@code $v = expression}. */
  static String expr(String expression) {
    Stmt.Block block = parse("BEGIN { $v = " + expression + "; }").probes().getFirst().body();
    return AstPrinter.print(((Stmt.Assign) block.stmts().getFirst()).value());
  }

  static Stream<Arguments> expressions() {
    return Stream.of(
        arguments("decimal", "42", "42"),
        arguments("hex, octal, binary, separators", "0x2a + 017 + 0o17 + 0b101 + 1_000", "(+ (+ (+ (+ 42 15) 15) 5) 1000)"),
        arguments("suffixes", "10u + 5ul + 1ll + 7ull", "(+ (+ (+ 10u 5u) 1) 7u)"),
        arguments("scientific and durations", "1e6 + 100ms", "(+ 1000000 100000000)"),
        arguments("above int64", "18446744073709551615", "18446744073709551615u"),
        arguments("negative literal", "-1", "-1"),
        arguments("int64 minimum", "-9223372036854775808", "-9223372036854775808"),
        arguments("negated expression", "-(1)", "(- 1)"),
        arguments("character", "'a' + '\\n' + '\\x41' + '\\''", "(+ (+ (+ 97 10) 65) 39)"),
        arguments("string", "\"a\\tb\\n\\\"q\\\" \\\\ \\x41\\102\"", "\"a\\tb\\n\\\"q\\\" \\\\ AB\""),
        arguments("booleans", "true && !false", "(&& true (! false))"),
        arguments("positional parameters", "$1 + $# + $10", "(+ (+ $1 $#) $10)"),
        arguments("identifiers", "arg0 + sarg1 + retval + BPF_ANY + curtask", "(+ (+ (+ (+ arg0 sarg1) retval) BPF_ANY) curtask)"),
        arguments("maps", "@ + @m + @m[1] + @m[1, \"a\"] + @m[(1, 2)]", "(+ (+ (+ (+ @ @m) @m[1]) @m[1, \"a\"]) @m[(tuple 1 2)])"),
        arguments("multiplicative over additive", "1 + 2 * 3 - 4 / 5 % 6", "(- (+ 1 (* 2 3)) (% (/ 4 5) 6))"),
        arguments("left associative", "1 - 2 - 3", "(- (- 1 2) 3)"),
        arguments("shifts under additive", "1 << 2 + 3 >> 4", "(>> (<< 1 (+ 2 3)) 4)"),
        arguments("relational under shift", "a < b << 1 && c >= d", "(&& (< a (<< b 1)) (>= c d))"),
        arguments("equality under relational", "a == b < c != d", "(!= (== a (< b c)) d)"),
        arguments("bitwise levels", "a & b ^ c | d & e", "(| (^ (& a b) c) (& d e))"),
        arguments("equality binds tighter than &", "a != b & c", "(& (!= a b) c)"),
        arguments("logical levels", "a || b && c || d", "(|| (|| a (&& b c)) d)"),
        arguments("ternary", "a ? b : c", "(? a b c)"),
        arguments("ternary is right associative", "a ? b : c ? d : e", "(? a b (? c d e))"),
        arguments("ternary under logical", "a || b ? c + 1 : d", "(? (|| a b) (+ c 1) d)"),
        arguments("nested ternary in then", "a ? b ? c : d : e", "(? a (? b c d) e)"),
        arguments("parentheses", "(1 + 2) * 3", "(* (+ 1 2) 3)"),
        arguments("unary operators", "-a + ~b + !c + *d + &e", "(+ (+ (+ (+ (- a) (~ b)) (! c)) (* d)) (& e))"),
        arguments("unary binds tighter than binary", "-a * b", "(* (- a) b)"),
        arguments("postfix binds tighter than unary", "-$s.f + *$p->q", "(+ (- (. $s f)) (* (-> $p q)))"),
        arguments("field access", "args.filename", "(. args filename)"),
        arguments("arrow", "args->count + $t->a.b", "(+ (-> args count) (. (-> $t a) b))"),
        arguments("keyword as a field name", "$s.if + args.type", "(+ (. $s if) (. args type))"),
        arguments("tuple index", "$t.0 + $kv.1.2", "(+ (. $t 0) (. (. $kv 1) 2))"),
        arguments("array index", "$a[1] + $p->comm[0] + str($x)[2]", "(+ (+ ([] $a 1) ([] (-> $p comm) 0)) ([] str($x) 2))"),
        arguments("tuple", "(1, \"b\", $c)", "(tuple 1 \"b\" $c)"),
        arguments("nested tuple with trailing comma", "((1, 2), 3,)", "(tuple (tuple 1 2) 3)"),
        arguments("calls", "count() + sum(arg2) + printf(\"%d %s\", pid, comm)", "(+ (+ count() sum(arg2)) printf(\"%d %s\", pid, comm))"),
        arguments("map arguments", "has_key(@m, 1) + print(@m, 10) + delete(@m[k])", "(+ (+ has_key(@m, 1) print(@m, 10)) delete(@m[k]))"),
        arguments("stack mode argument", "kstack(perf, 10)", "kstack(perf, 10)"),
        arguments("builtin integer cast", "(uint8)$x", "(cast <uint8> $x)"),
        arguments("cast of a negative literal", "(int8)-1", "(cast <int8> -1)"),
        arguments("pointer cast", "(struct task_struct *)curtask", "(cast <struct task_struct *> curtask)"),
        arguments("double pointer", "**(int64**)reg(\"sp\")", "(* (* (cast <int64 **> reg(\"sp\"))))"),
        arguments("array cast", "(uint8[4])$x", "(cast <uint8[4]> $x)"),
        arguments("array cast without length", "(int8[])\"abc\"", "(cast <int8[0]> \"abc\")"),
        arguments("C type cast", "(unsigned long long)$x + (const char *)arg0", "(+ (cast <unsigned long long> $x) (cast <char *> arg0))"),
        arguments("kernel typedef cast", "(u64)-1 + (pid_t)arg0", "(+ (cast <u64> -1) (cast <pid_t> arg0))"),
        arguments("unknown type followed by an operand", "(mytype)arg0", "(cast <mytype> arg0)"),
        arguments("unknown type as a pointer", "(mytype *)arg0", "(cast <mytype *> arg0)"),
        arguments("parenthesized identifier then minus", "(size) - 1", "(- size 1)"),
        arguments("parenthesized builtin is not a type", "(pid) (1)", null),
        arguments("cast binds like unary", "(uint32)$a + $b", "(+ (cast <uint32> $a) $b)"),
        arguments("cast of a field", "(uint64)$s.f", "(cast <uint64> (. $s f))"),
        arguments("sizeof a type", "sizeof(uint64) + sizeof(struct foo) + sizeof(char *)", "(+ (+ (sizeof <uint64>) (sizeof <struct foo>)) (sizeof <char *>))"),
        arguments("sizeof an expression", "sizeof($x) + sizeof(x)", "(+ (sizeof $x) (sizeof x))"),
        arguments("offsetof a type", "offsetof(struct foo, a.b)", "(offsetof <struct foo> a.b)"),
        arguments("offsetof an expression", "offsetof(*curtask, comm)", "(offsetof (* curtask) comm)"),
        arguments("increments", "$x++ + ++$x + @m[1]-- + --@m", "(+ (+ (+ ($x ++) (++ $x)) (@m[1] --)) (-- @m))"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("expressions")
  void parsesExpressions(String name, String text, String expected) {
    if (expected == null) {
      assertTrue(Parser.parse(new Source("stdin", "BEGIN { $v = " + text + "; }")).hasErrors());
      return;
    }
    assertEquals(expected, expr(text));
  }

  static Stream<Arguments> statements() {
    return Stream.of(
        arguments("empty block", "", "{}"),
        arguments("last statement needs no semicolon", "$x = 1; $y = 2", "{ (= $x 1); (= $y 2) }"),
        arguments("empty statements", "; $x = 1;; ;", "{ (= $x 1) }"),
        arguments("expression statement", "printf(\"hi\\n\"); exit()", "{ printf(\"hi\\n\"); exit() }"),
        arguments("assignments", "$x = 1; @m = 2; @m[1, 2] = 3; @ = 4", "{ (= $x 1); (= @m 2); (= @m[1, 2] 3); (= @ 4) }"),
        arguments("compound assignments", "$a += 1; $a -= 1; $a *= 1; $a /= 1; $a %= 1; @a &= 1; @a |= 1; @a ^= 1; @a[k] <<= 1; $a >>= 1",
            "{ (+= $a 1); (-= $a 1); (*= $a 1); (/= $a 1); (%= $a 1); (&= @a 1); (|= @a 1); (^= @a 1); (<<= @a[k] 1); (>>= $a 1) }"),
        arguments("increments as statements", "$x++; ++$x; @m[1]--; --@m", "{ ($x ++); (++ $x); (@m[1] --); (-- @m) }"),
        arguments("discard", "_ = has_key(@m, 1)", "{ has_key(@m, 1) }"),
        arguments("let", "let $a; let $b: uint64; let $c = 1; let $d: string[16] = \"x\"; let $e: struct s * = 0",
            "{ (let $a); (let $b <uint64>); (let $c 1); (let $d <string[16]> \"x\"); (let $e <struct s *> 0) }"),
        arguments("if", "if ($x) { @a = 1 }", "{ (if $x { (= @a 1) }) }"),
        arguments("if else", "if ($x) { @a = 1 } else { @a = 2 }", "{ (if $x { (= @a 1) } { (= @a 2) }) }"),
        arguments("else if chain", "if (a) { 1 } else if (b) { 2 } else { 3 }", "{ (if a { 1 } (if b { 2 } { 3 })) }"),
        arguments("blocks need no semicolon", "if (a) { 1 } $x = 2; unroll(2) { 3 } $y = 4", "{ (if a { 1 }); (= $x 2); (unroll 2 { 3 }); (= $y 4) }"),
        arguments("semicolon after a block", "if (a) { 1 }; $x = 2", "{ (if a { 1 }); (= $x 2) }"),
        arguments("unroll", "unroll(5) { @i++ }", "{ (unroll 5 { (@i ++) }) }"),
        arguments("unroll with a parameter", "unroll($1) { @i++ }", "{ (unroll $1 { (@i ++) }) }"),
        arguments("while, break, continue", "while ($i < 10) { $i++; if ($i == 3) { continue } if ($i == 8) { break; } }",
            "{ (while (< $i 10) { ($i ++); (if (== $i 3) { continue }); (if (== $i 8) { break }) }) }"),
        arguments("for over a map", "for ($kv : @m) { print($kv.0); print($kv.1) }", "{ (for $kv @m { print((. $kv 0)); print((. $kv 1)) }) }"),
        arguments("for over a range", "for ($i : 0..10) { @x[$i] = $i }", "{ (for $i (.. 0 10) { (= @x[$i] $i) }) }"),
        arguments("for over an expression range", "for ($i : $a + 1 .. ncpus * 2) { }", "{ (for $i (.. (+ $a 1) (* ncpus 2)) {}) }"),
        arguments("return", "return; return 1", "{ (return); (return 1) }"),
        arguments("return at the end", "return", "{ (return) }"),
        arguments("nested block", "{ $x = 1; } { }", "{ { (= $x 1) }; {} }"),
        arguments("comments", "// one\n$x = 1; /* two */ $y /* three */ = 2", "{ (= $x 1); (= $y 2) }"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statements")
  void parsesStatements(String name, String text, String expected) {
    assertEquals(expected, body(text));
  }

  static Stream<Arguments> programs() {
    return Stream.of(
        arguments("one probe", "kprobe:vfs_read { @reads = count(); }", "kprobe:vfs_read { (= @reads count()) }\n"),
        arguments("several attach points", "kprobe:a, kr:b,\nuprobe:/bin/bash:readline { }", "kprobe:a, kr:b, uprobe:/bin/bash:readline {}\n"),
        arguments("trailing comma", "kprobe:a, { }", "kprobe:a {}\n"),
        arguments("predicate", "kprobe:f /pid == 1 && comm == \"bash\"/ { }", "kprobe:f /(&& (== pid 1) (== comm \"bash\"))/ {}\n"),
        arguments("division inside a predicate", "BEGIN / $x / 2 > 1 / { }", "BEGIN /(> (/ $x 2) 1)/ {}\n"),
        arguments("predicate without blanks", "kprobe:f/pid/{}", "kprobe:f /pid/ {}\n"),
        arguments("predicate after a path", "uprobe:/bin/bash:readline /pid == 1/ {}", "uprobe:/bin/bash:readline /(== pid 1)/ {}\n"),
        arguments("BEGIN and END", "BEGIN { } END { }", "BEGIN {}\nEND {}\n"),
        arguments("includes", "#include <linux/sched.h>\n#include \"my.h\" // why\nBEGIN {}", "#include <linux/sched.h>\n#include \"my.h\"\nBEGIN {}\n"),
        arguments("BTF guard", "#ifndef BPFTRACE_HAVE_BTF\n#include <linux/socket.h>\nstruct s { int a; };\n#else\n#include <sys/socket.h>\n#endif\nBEGIN {}",
            "#include <sys/socket.h>\nBEGIN {}\n"),
        arguments("#if expressions", "#define V 3\n#if V > 2 && defined(V) && !defined NOPE\n#define OK 1\n#elif 1\n#define OK 2\n#endif\nBEGIN { $x = OK; }",
            "BEGIN { (= $x 1) }\n"),
        arguments("#elif taken", "#if 0\n#define X 1\n#elif 2 * 3 == 6\n#define X 2\n#else\n#define X 3\n#endif\nBEGIN { $x = X; }", "BEGIN { (= $x 2) }\n"),
        arguments("#define", "#define RED \"\\033[31m\"\n#define TWICE(x) x\n#undef TWICE\n#define N (4 * 2)\nBEGIN { printf(RED); $n = N; }",
            null),
        arguments("object-like macros", "#define RED \"\\033[31m\"\n#define N (4 * \\\n 2)\n#define M N + N\nBEGIN { printf(RED); $n = M; }",
            "BEGIN { printf(\"\\x1b[31m\"); (= $n (+ (* 4 2) (* 4 2))) }\n"),
        arguments("struct", "struct foo { int a; char b[8]; struct bar *p; unsigned long c : 3; }",
            "(struct foo (int a) (char[8] b) (struct bar * p) (unsigned long c : 3))\n"),
        arguments("struct with semicolon, union, multiple declarators",
            "struct s { const char *name, **argv; int x[]; u64 v; };\nunion u { int i; long long l; };",
            "(struct s (char * name) (char ** argv) (int[0] x) (u64 v))\n(union u (int i) (long long l))\n"),
        arguments("nested and anonymous members", "struct o { struct in { int z; } i; union { int x; long y; }; int : 4; void (*cb)(int, char *); };",
            "(struct in (int z))\n(union (anonymous at stdin:1:36) (int x) (long y))\n(struct o (struct in i) (union (anonymous at stdin:1:36)) (int : 4) (void * cb))\n"),
        arguments("enum", "enum e { A, B = 5, C = B + 1, };", "(enum e (A) (B 5) (C (+ B 1)))\n"),
        arguments("last member without semicolon (clang warns, bpftrace accepts)", "struct s { int a; uint64_t f[4] }; struct x {unsigned long x};",
            "(struct s (int a) (uint64_t[4] f))\n(struct x (unsigned long x))\n"),
        arguments("forward declaration", "struct s; BEGIN {}", "BEGIN {}\n"),
        arguments("typedefs", "typedef unsigned long u64x; typedef struct { int a; } s_t; typedef int (*cb_t)(int);",
            "(typedef <unsigned long> u64x)\n(struct (anonymous at stdin:1:37) (int a))\n(typedef <struct (anonymous at stdin:1:37)> s_t)\n(typedef <void *> cb_t)\n"),
        arguments("typedef names are types", "typedef int myint; BEGIN { $x = (myint) - 1; }", "(typedef <int> myint)\nBEGIN { (= $x (cast <myint> -1)) }\n"),
        arguments("define in an array length", "#define LEN 16\nstruct s { char comm[LEN]; char d[LEN * 2]; };", "(struct s (char[16] comm) (char[32] d))\n"),
        arguments("config", "config = { max_map_keys = 100; stack_mode = perf; license = \"GPL\" }\nBEGIN {}",
            "(config (max_map_keys 100) (stack_mode perf) (license \"GPL\"))\nBEGIN {}\n"),
        arguments("function", "fn add($a: int64, $b: int64): int64 { return $a + $b; }", "(fn add [$a <int64>, $b <int64>] <int64> { (return (+ $a $b)) })\n"),
        arguments("function without parameters", "fn f(): void { return; }", "(fn f [] <void> { (return) })\n"),
        arguments("function with struct types", "fn f($t: struct task_struct *): struct s * { return 0 }",
            "(fn f [$t <struct task_struct *>] <struct s *> { (return 0) })\n"),
        arguments("macro", "macro add_one_to_each($a, @b, c) { $a += c; @b += 1; }\nmacro one() { 1 }",
            "(macro add_one_to_each [$a, @b, c] { (+= $a c); (+= @b 1) })\n(macro one [] { 1 })\n"),
        arguments("everything in order", "#include <a.h>\nstruct s { int a; }\nconfig = { x = 1 }\nmacro m() { 1 }\nfn f(): int64 { return 1 }\nBEGIN { }",
            "#include <a.h>\n(struct s (int a))\n(config (x 1))\n(fn f [] <int64> { (return 1) })\n(macro m [] { 1 })\nBEGIN {}\n"),
        arguments("shebang", "#!/usr/bin/env bpftrace\nBEGIN {}", "BEGIN {}\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void parsesPrograms(String name, String text, String expected) {
    if (expected == null) {
      assertTrue(Parser.parse(new Source("stdin", text)).hasErrors());
      return;
    }
    assertEquals(expected, AstPrinter.print(parse(text)));
  }

  static Stream<Arguments> attachPointParts() {
    return Stream.of(
        arguments("BEGIN", List.of("BEGIN")),
        arguments("kprobe:vfs_read+10", List.of("kprobe", "vfs_read+10")),
        arguments("uprobe:/usr/lib/libc.so.6:malloc", List.of("uprobe", "/usr/lib/libc.so.6", "malloc")),
        arguments("uprobe:./a.out:0x1234", List.of("uprobe", "./a.out", "0x1234")),
        arguments("watchpoint:0x10000000:8:rw", List.of("watchpoint", "0x10000000", "8", "rw")),
        arguments("usdt:/bin/x:prov:name", List.of("usdt", "/bin/x", "prov", "name")),
        arguments("profile:hz:99", List.of("profile", "hz", "99")),
        arguments("i:ms:100", List.of("i", "ms", "100")),
        arguments("kprobe:", List.of("kprobe", "")),
        arguments("t:syscalls:sys_enter_*", List.of("t", "syscalls", "sys_enter_*")),
        arguments("uprobe:\"/path with space\":\"ns::f(int)\"", List.of("uprobe", "/path with space", "ns::f(int)")),
        arguments("uprobe:/bin/x:\"say \\\"hi\\\"\"+4", List.of("uprobe", "/bin/x", "say \"hi\"+4")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attachPointParts")
  void splitsAttachPoints(String raw, List<String> parts) {
    AttachPoint ap = parse(raw + " {}").probes().getFirst().attachPoints().getFirst();
    assertEquals(raw, ap.raw());
    assertEquals(parts, ap.parts());
    assertEquals(raw, ap.span().text());
  }

  static Stream<Arguments> spans() {
    return Stream.of(
        arguments("(1 + 2) * 3", "(1 + 2) * 3"),
        arguments("-1", "-1"),
        arguments("printf(\"%d\", pid)", "printf(\"%d\", pid)"),
        arguments("@m[1, 2]", "@m[1, 2]"),
        arguments("$a->b.c", "$a->b.c"),
        arguments("(struct s *)arg0", "(struct s *)arg0"),
        arguments("a ? b : c", "a ? b : c"),
        arguments("$x++", "$x++"),
        arguments("(1, 2)", "(1, 2)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spans")
  void spansCoverTheSource(String text, String covered) {
    Stmt.Block block = parse("BEGIN { $v = " + text + "; }").probes().getFirst().body();
    Stmt.Assign assign = (Stmt.Assign) block.stmts().getFirst();
    assertEquals(covered, assign.value().span().text());
    assertEquals("$v = " + text, assign.span().text());
  }

  @Test
  void nodeSpansAreWhatWasParsed() {
    String text = "kprobe:a, kprobe:b /pid/ {\n  if ($x) { @y = 1 } else { @y = 2 }\n}\nstruct s { int a; }\nfn f($a: int64): int64 { return $a }\n";
    Program p = parse(text);
    assertEquals("kprobe:a, kprobe:b /pid/ {\n  if ($x) { @y = 1 } else { @y = 2 }\n}", p.probes().getFirst().span().text());
    assertEquals("if ($x) { @y = 1 } else { @y = 2 }", p.probes().getFirst().body().stmts().getFirst().span().text());
    assertEquals("struct s { int a; }", p.decls().getFirst().span().text());
    assertEquals("int a", ((Decl.Struct) p.decls().getFirst()).fields().getFirst().span().text());
    assertEquals("fn f($a: int64): int64 { return $a }", p.functions().getFirst().span().text());
    assertEquals("$a: int64", p.functions().getFirst().params().getFirst().span().text());
    assertEquals(0, p.span().start());
    assertEquals(text.length(), p.span().end());
  }

  @Test
  void macroExpansionsTakeThePlaceOfTheirName() {
    Program p = parse("#define N (1 + 2)\nBEGIN { $x = N * 3; }");
    Stmt.Assign assign = (Stmt.Assign) p.probes().getFirst().body().stmts().getFirst();
    Expr.Binary mul = (Expr.Binary) assign.value();
    assertEquals("N", mul.left().span().text());
    assertEquals("N * 3", mul.span().text());
  }

  @Test
  void definesCanBeChosen() {
    String text = "#ifdef BPFTRACE_HAVE_BTF\n#include <btf.h>\n#else\n#include <headers.h>\n#endif\nBEGIN {}";
    assertEquals(List.of("<btf.h>"), Parser.parse(new Source("stdin", text)).program().includes());
    assertEquals(List.of("<headers.h>"), Parser.parse(new Source("stdin", text), Set.of()).program().includes());
  }

  @Test
  void parseOrThrowReportsEveryError() {
    CompileException e = assertThrows(CompileException.class,
        () -> Parser.parseOrThrow(new Source("stdin", "BEGIN { $x = ; }\nEND { @y = 1 2; }")));
    assertEquals(2, e.diagnostics().size());
    assertEquals("syntax error, unexpected ;", e.getMessage());
  }

  @Test
  void parseOrThrowReturnsTheProgram() throws CompileException {
    Program p = Parser.parseOrThrow(new Source("stdin", "#warning careful\nBEGIN { exit() }"));
    assertEquals("BEGIN { exit() }\n", AstPrinter.print(p));
  }

  @Test
  void warningsAreNotErrors() {
    ParseResult r = Parser.parse(new Source("stdin", "#warning careful\nBEGIN {}"));
    assertFalse(r.hasErrors());
    assertEquals(List.of(Diagnostic.Severity.WARNING), r.diagnostics().stream().map(Diagnostic::severity).toList());
  }

  @Test
  void everyNodeKindPrints() {
    Node n = parse("BEGIN { $x = sizeof(int); }").probes().getFirst();
    assertEquals("BEGIN { (= $x (sizeof <int>)) }", AstPrinter.print(n));
  }
}
