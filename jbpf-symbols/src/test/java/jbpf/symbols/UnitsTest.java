package jbpf.symbols;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void wildcards() {
    assertTrue(Wildcard.compile("vfs_*").matches("vfs_read"));
    assertTrue(Wildcard.compile("*read*").matches("vfs_readv"));
    assertTrue(Wildcard.compile("?alloc").matches("malloc"));
    assertFalse(Wildcard.compile("?alloc").matches("realloc"));
    assertTrue(Wildcard.compile("a*b*c").matches("axxbyyc"));
    assertFalse(Wildcard.compile("a*b*c").matches("axxbyy"));
    assertTrue(Wildcard.compile("*").matches(""));
    assertTrue(Wildcard.isWildcard("ns::*"));
    assertFalse(Wildcard.isWildcard("malloc"));
  }

  @Test
  void symbolTableLookupHonoursSizesAndGaps() {
    SymbolTable t = SymbolTable.of(List.of(new Symbol("a", 0x1000, 0x10), new Symbol("b", 0x1020, 0), new Symbol("alias_of_a", 0x1000, 0x10),
        new Symbol("c", 0x2000, 0x8)));
    assertEquals(3, t.size());
    assertEquals("a", t.lookup(0x1000).orElseThrow().name());           // the first name given for an address wins
    assertEquals("a", t.lookup(0x100f).orElseThrow().name());
    assertEquals(Optional.empty(), t.lookup(0x1010));                   // past a's size, before b
    assertEquals("b", t.lookup(0x1fff).orElseThrow().name());           // b has no size: up to the next symbol
    assertEquals(Optional.empty(), t.lookup(0x2008));
    assertEquals(Optional.empty(), t.lookup(0xfff));
  }

  @Test
  void perfMapLinesWithBlanksAndPrefixes() {
    SymbolTable t = PerfMap.parse("""
        7f8a1c0a5e40 1a0 Interpreter
        0x7f8a1c0b1a60 0x2b8 java.lang.String::hashCode (57 bytes)
        not a line
        7f8a1c0b1a60 2b8 java.lang.String::hashCode (recompiled)
        """);
    assertEquals("Interpreter", t.lookup(0x7f8a1c0a5e40L + 0x19f).orElseThrow().name());
    assertEquals("java.lang.String::hashCode (recompiled)", t.lookup(0x7f8a1c0b1a70L).orElseThrow().name());
    assertEquals(Optional.empty(), t.lookup(0x7f8a1c0a5e40L + 0x1a0));
  }

  @Test
  void mapsLines() {
    List<Mapping> m = Mapping.parse("""
        7f3c2a028000-7f3c2a1bd000 r-xp 00028000 fe:01 1317278                    /usr/lib/x86_64-linux-gnu/libc.so.6
        7ffd5b5f3000-7ffd5b5f5000 r-xp 00000000 00:00 0                          [vdso]
        7f3c29e00000-7f3c29e21000 rwxp 00000000 00:00 0
        55d0c8a00000-55d0c8a01000 r-xp 00001000 fe:01 42                         /tmp/my prog (deleted)
        garbage
        """);
    assertEquals(4, m.size());
    assertEquals(new Mapping(0x7f3c2a028000L, 0x7f3c2a1bd000L, "r-xp", 0x28000, "fe:01", 1317278, "/usr/lib/x86_64-linux-gnu/libc.so.6", false), m.get(0));
    assertTrue(m.get(0).isFile() && m.get(0).executable());
    assertFalse(m.get(1).isFile());
    assertEquals("", m.get(2).path());
    assertEquals("/tmp/my prog", m.get(3).path());
    assertTrue(m.get(3).deleted());
  }

  @Test
  void kallsymsFormat() {
    KernelSymbols k = KernelSymbols.parse("""
        ffffffff81000000 T _stext
        ffffffff812a3c10 T vfs_read
        ffffffff812a3e00 t rw_verify_area
        ffffffff81c00000 D some_data
        ffffffffc0a01000 t ext4_fill_super\t[ext4]
        """);
    assertEquals(4, k.size());
    assertEquals("vfs_read+5", k.format(0xffffffff812a3c15L));
    assertEquals("vfs_read+0", k.format(0xffffffff812a3c10L));
    assertEquals("ext4_fill_super+16 [ext4]", k.format(0xffffffffc0a01010L, true));
    assertEquals("0x1000", k.format(0x1000));
    assertEquals(0xffffffff812a3c10L, k.address("vfs_read").orElseThrow());
    assertEquals(List.of("rw_verify_area", "vfs_read"), k.functions("*r*a*"));
    assertFalse(k.addressesHidden());
    assertTrue(KernelSymbols.parse("0000000000000000 T vfs_read\n").addressesHidden());
  }

  @Test
  void demangledNamesWithoutParameters() {
    assertEquals("ns::Klass::method", ProbeTargets.withoutParams("ns::Klass::method(int) const"));
    assertEquals("f<int>", ProbeTargets.withoutParams("void f<int>(int)"));
    assertEquals("A::operator()", ProbeTargets.withoutParams("A::operator()(int)"));
    assertEquals("A::operator int", ProbeTargets.withoutParams("A::operator int()"));
    assertEquals("operator< <int>", ProbeTargets.withoutParams("bool operator< <int>(A, A)"));
    assertEquals("f", ProbeTargets.withoutParams("f(void (*)(int))"));
    assertEquals("foo", ProbeTargets.withoutParams("foo() [clone .cold]"));
  }

  @Test
  void libraryNamePrefixes() {
    assertEquals("libc.so", TargetResolver.soPrefix("c"));
    assertEquals("libc.so", TargetResolver.soPrefix("libc"));
    assertEquals("libc.so.6", TargetResolver.soPrefix("libc.so.6"));
  }
}
