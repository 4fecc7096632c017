package jbpf.output.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte string that output is assembled in before it is written in one piece.
 *
 * <p>bpftrace writes raw bytes: strings from the kernel need not be UTF-8, and printf widths count bytes. All
 * formatting therefore happens on bytes; Java strings enter as UTF-8.
 */
public final class ByteBuf {
  private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UPPER_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MIN_LONG = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);

  private byte[] bytes;
  private int length;

  public ByteBuf() { this(256); }

  public ByteBuf(int capacity) { bytes = new byte[Math.max(16, capacity)]; }

  /** {@return the number of bytes held} */
  public int length() { return length; }

  /** Drops everything after the first {@code newLength} bytes. */
  public void setLength(int newLength) {
    if (newLength < 0 || newLength > length) throw new IndexOutOfBoundsException(newLength);
    length = newLength;
  }

  /** {@return the storage: bytes {@code [0, length())} are the content; valid until the next append} */
  byte[] array() { return bytes; }

  /** {@return the byte at {@code index}} */
  public byte byteAt(int index) {
    if (index < 0 || index >= length) throw new IndexOutOfBoundsException(index);
    return bytes[index];
  }

  /** Empties the buffer, keeping its storage. */
  public ByteBuf clear() { length = 0; return this; }

  private void ensure(int extra) {
    int need = length + extra;
    if (need > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(need, bytes.length * 2));
  }

  public ByteBuf put(byte b) {
    ensure(1);
    bytes[length++] = b;
    return this;
  }

  public ByteBuf put(char asciiChar) { return put((byte) asciiChar); }

  public ByteBuf put(byte[] b) { return put(b, 0, b.length); }

  public ByteBuf put(byte[] b, int offset, int count) {
    ensure(count);
    System.arraycopy(b, offset, bytes, length, count);
    length += count;
    return this;
  }

  public ByteBuf put(ByteBuf other) { return put(other.bytes, 0, other.length); }

  /** Appends bytes {@code [from, to)} of {@code other}. */
  public ByteBuf put(ByteBuf other, int from, int to) { return put(other.bytes, from, to - from); }

  /** Appends {@code s} encoded as UTF-8. */
  public ByteBuf put(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) return put(s.substring(i).getBytes(StandardCharsets.UTF_8));
      bytes[length++] = (byte) c;
    }
    return this;
  }

  /** Appends {@code count} copies of {@code b}. */
  public ByteBuf repeat(byte b, int count) {
    if (count <= 0) return this;
    ensure(count);
    Arrays.fill(bytes, length, length + count, b);
    length += count;
    return this;
  }

  /** Appends {@code v} in decimal, as a signed number. */
  public ByteBuf decimal(long v) {
    if (v == Long.MIN_VALUE) return put(MIN_LONG);
    if (v < 0) {
      put((byte) '-');
      v = -v;
    }
    return unsignedDecimal(v);
  }

  /** Appends {@code v} in decimal, read as an unsigned 64-bit number. */
  public ByteBuf unsignedDecimal(long v) {
    if (v < 0) {
      long q = Long.divideUnsigned(v, 10);
      unsignedDecimal(q);
      return put((byte) ('0' + (v - q * 10)));
    }
    int digits = decimalDigits(v);
    ensure(digits);
    int p = length + digits;
    // Two digits per division, in int arithmetic once the number fits.
    while (v > Integer.MAX_VALUE) {
      long q = v / 100;
      int r = (int) (v - q * 100);
      bytes[--p] = (byte) ('0' + r % 10);
      bytes[--p] = (byte) ('0' + r / 10);
      v = q;
    }
    int x = (int) v;
    while (x >= 100) {
      int q = x / 100;
      int r = x - q * 100;
      bytes[--p] = (byte) ('0' + r % 10);
      bytes[--p] = (byte) ('0' + r / 10);
      x = q;
    }
    if (x >= 10) {
      bytes[--p] = (byte) ('0' + x % 10);
      x /= 10;
    }
    bytes[--p] = (byte) ('0' + x);
    length += digits;
    return this;
  }

  private static final long[] POWERS_OF_TEN = new long[19];

  static {
    POWERS_OF_TEN[0] = 1;
    for (int i = 1; i < POWERS_OF_TEN.length; i++) POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
  }

  /** {@return the number of decimal digits of non-negative {@code v}} */
  private static int decimalDigits(long v) {
    // log10(2) ~ 1233 / 4096: a guess from the bit length, corrected by one comparison.
    int guess = ((64 - Long.numberOfLeadingZeros(v)) * 1233) >>> 12;
    return guess < POWERS_OF_TEN.length && v >= POWERS_OF_TEN[guess] ? guess + 1 : Math.max(guess, 1);
  }

  /** Appends {@code v} as an unsigned number in base 16 (lower or upper case digits) or 8. */
  public ByteBuf radix(long v, int shift, boolean upper) {
    byte[] digitSet = upper ? UPPER_DIGITS : DIGITS;
    int mask = (1 << shift) - 1;
    int digits = 1;
    for (long t = v >>> shift; t != 0; t >>>= shift) digits++;
    ensure(digits);
    int p = length + digits;
    long x = v;
    do {
      bytes[--p] = digitSet[(int) (x & mask)];
      x >>>= shift;
    } while (x != 0);
    length += digits;
    return this;
  }

  /** Appends the low 8 bits of {@code b} as two lower-case hex digits. */
  public ByteBuf hex2(int b) {
    ensure(2);
    bytes[length++] = DIGITS[(b >> 4) & 0xf];
    bytes[length++] = DIGITS[b & 0xf];
    return this;
  }

  /** Inserts {@code count} copies of {@code b} at {@code index}, moving what follows. */
  public void insert(int index, byte b, int count) {
    if (count <= 0) return;
    ensure(count);
    System.arraycopy(bytes, index, bytes, index + count, length - index);
    Arrays.fill(bytes, index, index + count, b);
    length += count;
  }

  /** {@return the index of the first {@code b} at or after {@code from}, or -1} */
  public int indexOf(byte b, int from) {
    for (int i = from; i < length; i++) if (bytes[i] == b) return i;
    return -1;
  }

  /** {@return a copy of the bytes held} */
  public byte[] toByteArray() { return Arrays.copyOf(bytes, length); }

  /** Writes the bytes held to {@code out}. */
  public void writeTo(OutputStream out) {
    try {
      out.write(bytes, 0, length);
    } catch (IOException e) {
      throw new UncheckedIOException("write output: " + e.getMessage(), e);
    }
  }

  /** {@return the bytes held, decoded as UTF-8} */
  @Override public String toString() { return new String(bytes, 0, length, StandardCharsets.UTF_8); }
}
