package jbpf.demangle;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DemanglerTest {
  /** Rows of {@code mangled<TAB>expected}; where the reference tool gave the input back, we must return null. */
  static Stream<Arguments> table(String name) throws IOException {
    try (InputStream in = DemanglerTest.class.getResourceAsStream("/demangle/" + name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(l -> !l.startsWith("#") && !l.isEmpty())
          .map(l -> l.split("\t", 2))
          .map(p -> arguments(p[0], p[1]))
          .toList().stream();
    }
  }

  static Stream<Arguments> itanium() throws IOException { return table("itanium.tsv"); }

  static Stream<Arguments> rust() throws IOException { return table("rust.tsv"); }

  @ParameterizedTest(name = "{0}")
  @MethodSource("itanium")
  void demanglesLikeCxxFilt(String mangled, String expected) {
    String got = ItaniumDemangler.demangle(mangled);
    assertEquals(expected, got == null ? mangled : got);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rust")
  void demanglesLikeRustfilt(String mangled, String expected) {
    String got = Demangler.demangle(mangled);
    assertEquals(expected, got == null ? mangled : got);
  }

  @Test
  void tableIsLargeEnoughToMeanSomething() throws IOException {
    assertTrue(itanium().count() > 500);
    assertTrue(rust().count() > 100);
  }

  @Test
  void dispatchesBySchemeAndLeavesPlainNamesAlone() {
    assertEquals("std::cout", Demangler.demangle("_ZSt4cout"));
    assertEquals("core::fmt::write", Demangler.demangle("_ZN4core3fmt5write17h0123456789abcdefE"));
    assertEquals("mycrate::main", Demangler.demangle("_RNvCs1234_7mycrate4main"));
    assertNull(Demangler.demangle("malloc"));
    assertEquals("malloc", Demangler.demangleOrSelf("malloc"));
    assertNull(Demangler.demangle(null));
    assertEquals("std::basic_ostream<char, std::char_traits<char> >::operator<<(int)@GLIBCXX_3.4", Demangler.demangle("_ZNSolsEi@GLIBCXX_3.4"));
    assertEquals("std::ios_base::Init::Init()@@GLIBCXX_3.4", Demangler.demangle("_ZNSt8ios_base4InitC1Ev@@GLIBCXX_3.4"));
  }

  @Test
  void keepsLegacyRustSuffixesButDropsLlvmHashes() {
    assertEquals("m::main", RustDemangler.demangle("_ZN1m4main17h0123456789abcdefE.llvm.1234ABCD"));
    assertEquals("<&T as core::fmt::Debug>::fmt", RustDemangler.demangle("_ZN42_$LT$$RF$T$u20$as$u20$core..fmt..Debug$GT$3fmt17h0123456789abcdefE"));
  }

  @Provide
  Arbitrary<String> mangledLike() {
    Arbitrary<String> tail = Arbitraries.strings().withChars("_ZNKRLSETIJXDpvicfsa0123456789EabcdABCDUlt.").ofMaxLength(60);
    return Arbitraries.oneOf(tail.map(t -> "_Z" + t), tail.map(t -> "_R" + t), tail.map(t -> "_ZN" + t + "17h0123456789abcdefE"),
        Arbitraries.strings().ofMaxLength(80));
  }

  @Property(tries = 20000, seed = "4242")
  void neverThrowsOnRandomInput(@ForAll("mangledLike") String s) {
    Demangler.demangle(s);
    ItaniumDemangler.demangle(s);
    RustDemangler.demangleV0(s);
    RustDemangler.demangleLegacy(s);
  }

  @Property(tries = 3000, seed = "777")
  void neverThrowsOnMutatedRealNames(@ForAll("mutations") String s) {
    Demangler.demangle(s);
  }

  @Provide
  Arbitrary<String> mutations() throws IOException {
    var rows = Stream.concat(itanium(), rust()).map(a -> (String) a.get()[0]).toList();
    return Arbitraries.of(rows).flatMap(s -> Arbitraries.integers().between(0, s.length() - 1)
        .flatMap(i -> Arbitraries.chars().ascii().map(c -> s.substring(0, i) + c + s.substring(i + 1))));
  }
}
