/*
 * Prints glibc's strftime(3) results for the jbpf-output Strftime tests: one line
 * "TZ<TAB>epoch<TAB>format<TAB>result" per zone, instant and format. bpftrace formats time() and strftime()
 * with glibc's strftime in the C locale, so glibc is the reference.
 *
 * Regenerate: gcc -O2 -o /tmp/strftime-golden dev/strftime-golden.c &&
 *   LC_ALL=C /tmp/strftime-golden > src/test/resources/strftime/glibc.tsv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *zones[] = {"UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin", "Australia/Adelaide"};
static const long long instants[] = {
    0LL,          /* Thu 1970-01-01 00:00:00 UTC */
    -1LL,         /* Wed 1969-12-31 23:59:59 UTC */
    951782400LL,  /* Tue 2000-02-29 00:00:00 UTC */
    1609632000LL, /* Sun 2021-01-03 00:00:00 UTC: ISO week 53 of 2020 */
    1735516800LL, /* Mon 2024-12-30 00:00:00 UTC: ISO week 1 of 2025 */
    1720000000LL, /* Wed 2024-07-03 09:46:40 UTC: summer time in the north */
    1795309438LL, /* Sun 2026-11-22 01:03:58 UTC */
    1700000000LL, /* Tue 2023-11-14 22:13:20 UTC */
    1704110400LL, /* Mon 2024-01-01 12:00:00 UTC */
    1704153599LL, /* Mon 2024-01-01 23:59:59 UTC */
};
static const char *formats[] = {
    "%a %A %b %B %h", "%c", "%C %y %Y %G %g", "%d %e %j %m", "%D %F %T %R %r", "%H %I %k %l %M %S %p %P",
    "%s", "%u %w %U %W %V", "%x %X", "%z %Z", "%n%t%%", "%H:%M:%S\n", "%Y-%m-%d %H:%M:%S",
    "%Ec %EC %Ex %EX %Ey %EY", "%Od %Oe %OH %OI %Om %OM %OS %Ou %OU %OV %Ow %OW %Oy",
    "%-d %-m %-H %-j %_d %_m %_H %_j %0e %0k", "%10Y %3d %5H %-5M %_5S %05e %1d", "%^a %^A %^b %^B %^p %^Z",
    "%#a %#A %#b %#B %#p %#P %#Z", "%10a %-10b %010B %_10p %5Z %3z", "%f %Q %N %+ %E %O %q %v %5% %",
    "%i %J %K %L %o %1 %E %O%", "%^10A %#^a %-_5d %_-5d %0_5d", "plain text", "", "%Ex%Oy %EH %OY %Ea",
    "%:z %::z %3C %4y %6G %1j", "%%%%%%d %5%", "%-", "%_", "%10", "%E", "%O",
};

int main(void) {
  for (size_t z = 0; z < sizeof zones / sizeof *zones; z++) {
    setenv("TZ", zones[z], 1);
    tzset();
    for (size_t i = 0; i < sizeof instants / sizeof *instants; i++) {
      time_t t = (time_t)instants[i];
      struct tm tm;
      localtime_r(&t, &tm);
      for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        char out[512];
        size_t n = strftime(out, sizeof out, formats[f], &tm);
        printf("%s\t%lld\t", zones[z], instants[i]);
        for (const char *p = formats[f]; *p; p++) {
          if (*p == '\n') fputs("\\n", stdout);
          else if (*p == '\t') fputs("\\t", stdout);
          else if (*p == '\\') fputs("\\\\", stdout);
          else putchar(*p);
        }
        putchar('\t');
        for (size_t k = 0; k < n; k++) {
          if (out[k] == '\n') fputs("\\n", stdout);
          else if (out[k] == '\t') fputs("\\t", stdout);
          else if (out[k] == '\\') fputs("\\\\", stdout);
          else putchar(out[k]);
        }
        putchar('\n');
      }
    }
  }
  return 0;
}
