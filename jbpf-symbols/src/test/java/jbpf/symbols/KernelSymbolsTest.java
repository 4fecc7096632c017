package jbpf.symbols;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;

/** Reads this machine's /proc/kallsyms; its addresses are visible to root only. */
class KernelSymbolsTest {
  @Test
  void resolvesVfsRead() throws Exception {
    KernelSymbols k = KernelSymbols.load();
    assertTrue(k.size() > 10_000, "a kernel has tens of thousands of text symbols");
    assumeFalse(k.addressesHidden(), "skipped: /proc/kallsyms shows zero addresses to this user; run as root, e.g. sudo mvn verify");
    long vfsRead = k.address("vfs_read").orElseThrow();
    assertEquals("vfs_read+0", k.format(vfsRead));
    assertEquals("vfs_read+17", k.format(vfsRead + 17));
    assertTrue(k.functions("vfs_rea*").contains("vfs_read"));
  }
}
