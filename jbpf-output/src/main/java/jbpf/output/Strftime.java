package jbpf.output;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.TimeZone;
import jbpf.output.internal.ByteBuf;

/**
 * glibc's {@code strftime(3)} in the C locale, which bpftrace uses for {@code time()} and {@code strftime()},
 * with its GNU extensions: flags {@code _ - 0 ^ #}, a field width, the {@code E} and {@code O} modifiers, and
 * unknown conversions copied as written.
 *
 * <p>bpftrace formats into a 64-byte buffer: a result of 64 bytes or more is an error ({@code strftime()} then
 * yields {@code (?)}, {@code time()} prints nothing). {@link #strftime} and {@link #time} report it as an empty
 * result.
 */
public final class Strftime {
  private Strftime() {}

  /** The size of bpftrace's buffer; results must be shorter. */
  public static final int BPFTRACE_LIMIT = 64;

  /** What bpftrace's {@code strftime()} yields when the result does not fit. */
  public static final String UNAVAILABLE = "(?)";

  private static final String[] WEEKDAYS = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"};

  /**
   * {@return bpftrace's {@code strftime(format, nsecs)} of a wall-clock time, or empty if it needs 64 bytes or
   * more} bpftrace first replaces every {@code %f} with the microseconds, as 6 digits, then calls strftime.
   *
   * @param epochNanos the time in nanoseconds since the Unix epoch (the runtime adds the boot time to
   *     {@code nsecs})
   */
  public static Optional<String> strftime(String format, long epochNanos, ZoneId zone) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long micros = Math.floorMod(epochNanos, 1_000_000_000L) / 1000;
    String expanded = format.replace("%f", String.format("%06d", micros));
    return bounded(format(expanded, ZonedDateTime.ofInstant(Instant.ofEpochSecond(seconds), zone)));
  }

  /** {@return bpftrace's {@code time(format)} at {@code now}, or empty if it needs 64 bytes or more} */
  public static Optional<String> time(String format, Instant now, ZoneId zone) {
    return bounded(format(format, ZonedDateTime.ofInstant(Instant.ofEpochSecond(now.getEpochSecond()), zone)));
  }

  private static Optional<String> bounded(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length >= BPFTRACE_LIMIT ? Optional.empty() : Optional.of(s);
  }

  /** {@return {@code time} formatted as glibc's strftime formats it in the C locale, without length limit} */
  public static String format(String format, ZonedDateTime time) {
    ByteBuf out = new ByteBuf(64);
    format(out, format.getBytes(StandardCharsets.UTF_8), new Tm(time));
    return out.toString();
  }

  /** The fields of a C {@code struct tm}. */
  private record Tm(int year, int mon, int mday, int hour, int min, int sec, int wday, int yday, long epochSecond,
      int gmtoff, ZonedDateTime time) {
    Tm(ZonedDateTime t) {
      this(t.getYear(), t.getMonthValue() - 1, t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(),
          t.getDayOfWeek().getValue() % 7, t.getDayOfYear() - 1, t.toEpochSecond(), t.getOffset().getTotalSeconds(), t);
    }

    int hour12() { return hour > 12 ? hour - 12 : hour == 0 ? 12 : hour; }

    /** {@return the zone's abbreviation, looked up only when a format asks for it} */
    String zone() { return abbreviation(time); }
  }

  private static String abbreviation(ZonedDateTime t) {
    ZoneId zone = t.getZone();
    if (zone instanceof ZoneOffset offset) return offset.equals(ZoneOffset.UTC) ? "UTC" : offset.getId();
    String id = zone.getId();
    if (id.equals("UTC") || id.equals("Etc/UTC") || id.equals("Etc/Universal") || id.equals("Universal")) return "UTC";
    boolean dst = zone.getRules().isDaylightSavings(t.toInstant());
    String name = TimeZone.getTimeZone(zone).getDisplayName(dst, TimeZone.SHORT, Locale.US);
    return name.startsWith("GMT") && name.length() > 3 ? t.getZone().getDisplayName(TextStyle.SHORT, Locale.US) : name;
  }

  /** The state of one conversion: its flags, width and case changes. */
  private static final class Conv {
    int pad;
    int width = -1;
    boolean toUpper;
    boolean toLower;
    boolean changeCase;
  }

  private static void format(ByteBuf out, byte[] f, Tm tm) {
    int i = 0;
    while (i < f.length) {
      if (f[i] != '%') {
        out.put(f[i++]);
        continue;
      }
      int percent = i;
      Conv c = new Conv();
      i++;
      flags:
      while (i < f.length) {
        switch (f[i]) {
          case '_', '-', '0' -> c.pad = f[i];
          case '^' -> c.toUpper = true;
          case '#' -> c.changeCase = true;
          default -> {
            break flags;
          }
        }
        i++;
      }
      if (i < f.length && f[i] >= '0' && f[i] <= '9') {
        long w = 0;
        while (i < f.length && f[i] >= '0' && f[i] <= '9') {
          w = Math.min(Integer.MAX_VALUE, w * 10 + (f[i] - '0'));
          i++;
        }
        c.width = (int) Math.min(w, 4096);
      }
      int modifier = 0;
      if (i < f.length && (f[i] == 'E' || f[i] == 'O')) modifier = f[i++];
      if (i >= f.length) {
        // "%" at the end of the format (a GNU extension): copied as written, flags included.
        badFormat(out, f, percent, f.length - 1, c);
        break;
      }
      int conversion = f[i];
      if (!convert(out, c, conversion, modifier, tm)) badFormat(out, f, percent, i, c);
      i++;
    }
  }

  /** Copies the unknown conversion ending at {@code end}, from the last {@code %} at or before it. */
  private static void badFormat(ByteBuf out, byte[] f, int percent, int end, Conv c) {
    int start = end;
    while (f[start] != '%') start--;
    byte[] text = new byte[end - start + 1];
    System.arraycopy(f, start, text, 0, text.length);
    add(out, c, text);
  }

  /** Formats one conversion; false if glibc treats it as unknown. */
  private static boolean convert(ByteBuf out, Conv c, int conversion, int modifier, Tm tm) {
    switch (conversion) {
      case '%' -> {
        if (modifier != 0) return false;
        add(out, c, new byte[] {'%'});
      }
      case 'a', 'A' -> {
        if (modifier != 0) return false;
        if (c.changeCase) upper(c);
        String day = WEEKDAYS[tm.wday()];
        text(out, c, conversion == 'a' ? day.substring(0, 3) : day);
      }
      case 'b', 'h' -> {
        if (c.changeCase) upper(c);
        if (modifier == 'E') return false;
        text(out, c, MONTHS[tm.mon()].substring(0, 3));
      }
      case 'B' -> {
        if (modifier == 'E') return false;
        if (c.changeCase) upper(c);
        text(out, c, MONTHS[tm.mon()]);
      }
      case 'c' -> {
        if (modifier == 'O') return false;
        subformat(out, c, "%a %b %e %H:%M:%S %Y", tm);
      }
      case 'C' -> {
        int year = tm.year();
        number(out, c, 2, Math.floorDiv(year, 100), false);
      }
      case 'x' -> {
        if (modifier == 'O') return false;
        subformat(out, c, "%m/%d/%y", tm);
      }
      case 'D' -> {
        if (modifier != 0) return false;
        subformat(out, c, "%m/%d/%y", tm);
      }
      case 'd' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.mday(), false);
      }
      case 'e' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.mday(), true);
      }
      case 'F' -> {
        if (modifier != 0) return false;
        subformat(out, c, "%Y-%m-%d", tm);
      }
      case 'H' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.hour(), false);
      }
      case 'I' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.hour12(), false);
      }
      case 'k' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.hour(), true);
      }
      case 'l' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.hour12(), true);
      }
      case 'j' -> {
        if (modifier == 'E') return false;
        number(out, c, 3, tm.yday() + 1, false);
      }
      case 'M' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.min(), false);
      }
      case 'm' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.mon() + 1, false);
      }
      case 'n' -> add(out, c, new byte[] {'\n'});
      case 't' -> add(out, c, new byte[] {'\t'});
      case 'P', 'p' -> {
        if (conversion == 'P') c.toLower = true;
        if (c.changeCase) {
          c.toUpper = false;
          c.toLower = true;
        }
        text(out, c, tm.hour() > 11 ? "PM" : "AM");
      }
      case 'R' -> subformat(out, c, "%H:%M", tm);
      case 'r' -> subformat(out, c, "%I:%M:%S %p", tm);
      case 'S' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, tm.sec(), false);
      }
      case 's' -> signAndPad(out, c, 1, Long.toString(Math.abs(tm.epochSecond())), tm.epochSecond() < 0);
      case 'X' -> {
        if (modifier == 'O') return false;
        subformat(out, c, "%H:%M:%S", tm);
      }
      case 'T' -> subformat(out, c, "%H:%M:%S", tm);
      case 'u' -> number(out, c, 1, (tm.wday() + 6) % 7 + 1, false);
      case 'U' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, (tm.yday() - tm.wday() + 7) / 7, false);
      }
      case 'V', 'g', 'G' -> {
        if (modifier == 'E') return false;
        int year = tm.year();
        int days = isoWeekDays(tm.yday(), tm.wday());
        if (days < 0) {
          year--;
          days = isoWeekDays(tm.yday() + 365 + (leap(year) ? 1 : 0), tm.wday());
        } else {
          int d = isoWeekDays(tm.yday() - 365 - (leap(year) ? 1 : 0), tm.wday());
          if (d >= 0) {
            year++;
            days = d;
          }
        }
        switch (conversion) {
          case 'g' -> number(out, c, 2, (year % 100 + 100) % 100, false);
          case 'G' -> number(out, c, 4, year, false);
          default -> number(out, c, 2, days / 7 + 1, false);
        }
      }
      case 'W' -> {
        if (modifier == 'E') return false;
        number(out, c, 2, (tm.yday() - (tm.wday() + 6) % 7 + 7) / 7, false);
      }
      case 'w' -> {
        if (modifier == 'E') return false;
        number(out, c, 1, tm.wday(), false);
      }
      case 'Y' -> {
        if (modifier == 'O') return false;
        number(out, c, 4, tm.year(), false);
      }
      case 'y' -> number(out, c, 2, (tm.year() % 100 + 100) % 100, false);
      case 'Z' -> {
        if (c.changeCase) {
          c.toUpper = false;
          c.toLower = true;
        }
        text(out, c, tm.zone());
      }
      case 'z' -> {
        int diff = tm.gmtoff();
        add(out, c, new byte[] {(byte) (diff < 0 ? '-' : '+')});
        diff = Math.abs(diff) / 60;
        number(out, c, 4, (diff / 60) * 100 + diff % 60, false);
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private static void upper(Conv c) {
    c.toUpper = true;
    c.toLower = false;
  }

  private static boolean leap(int year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

  /** Days from the Monday starting the ISO week-numbering year to year day {@code yday} of weekday {@code wday}. */
  private static int isoWeekDays(int yday, int wday) {
    int bigEnoughMultipleOf7 = (366 / 7 + 2) * 7;
    return yday - (yday - wday + 4 + bigEnoughMultipleOf7) % 7 + 4 - 1;
  }

  private static void subformat(ByteBuf out, Conv c, String sub, Tm tm) {
    ByteBuf inner = new ByteBuf(32);
    format(inner, sub.getBytes(StandardCharsets.US_ASCII), tm);
    byte[] text = inner.toByteArray();
    if (c.toUpper) for (int k = 0; k < text.length; k++) text[k] = (byte) upperAscii(text[k]);
    add(out, c.pad, c.width, text);
  }

  private static void text(ByteBuf out, Conv c, String s) {
    byte[] text = s.getBytes(StandardCharsets.UTF_8);
    for (int k = 0; k < text.length; k++) {
      if (c.toLower) text[k] = (byte) lowerAscii(text[k]);
      else if (c.toUpper) text[k] = (byte) upperAscii(text[k]);
    }
    add(out, c, text);
  }

  private static int upperAscii(byte b) { return b >= 'a' && b <= 'z' ? b - 32 : b; }

  private static int lowerAscii(byte b) { return b >= 'A' && b <= 'Z' ? b + 32 : b; }

  /**
   * A number of at least {@code digits} digits (or the width, if larger), zero-padded unless the {@code _} flag
   * (or, with {@code spacePad}, the conversion itself) asks for spaces or {@code -} for none.
   */
  private static void number(ByteBuf out, Conv c, int digits, long value, boolean spacePad) {
    if (spacePad && c.pad != '0' && c.pad != '-') c.pad = '_';
    signAndPad(out, c, Math.max(digits, c.width), Long.toString(Math.abs(value)), value < 0);
  }

  private static void signAndPad(ByteBuf out, Conv c, int digits, String magnitude, boolean negative) {
    String number = negative ? "-" + magnitude : magnitude;
    if (c.pad != '-') {
      int padding = digits - number.length();
      if (padding > 0) {
        if (c.pad == '_') {
          out.repeat((byte) ' ', padding);
          c.width = c.width > padding ? c.width - padding : 0;
        } else {
          if (negative) {
            out.put((byte) '-');
            number = magnitude;
          }
          out.repeat((byte) '0', padding);
          c.width = 0;
        }
      }
    }
    add(out, c, number.getBytes(StandardCharsets.US_ASCII));
  }

  private static void add(ByteBuf out, Conv c, byte[] text) { add(out, c.pad, c.width, text); }

  /** Appends {@code text}, first padded to {@code width}: with zeros for the {@code 0} flag, else spaces. */
  private static void add(ByteBuf out, int pad, int width, byte[] text) {
    int delta = width - text.length;
    if (delta > 0) out.repeat(pad == '0' ? (byte) '0' : (byte) ' ', delta);
    out.put(text);
  }
}
