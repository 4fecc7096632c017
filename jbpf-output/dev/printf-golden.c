/*
 * Prints glibc's snprintf results for the jbpf-output printf tests: one line "format<TAB>argument<TAB>result"
 * per case. Like bpftrace, it passes every integer as a 64-bit value, whatever the length modifier says
 * (on x86-64 a conversion without modifier then reads the low 32 bits of the register).
 *
 * Regenerate: gcc -O0 -Wno-format -o /tmp/printf-golden dev/printf-golden.c &&
 *   /tmp/printf-golden > src/test/resources/printf/glibc.tsv
 */
#include <stdio.h>
#include <string.h>

static const char *flags[] = {"", "-", "+", " ", "#", "0", "-+", "+0", " 0", "#0", "-#", "+ ", "-0"};
static const char *widths[] = {"", "8", "1"};
static const char *precisions[] = {"", ".0", ".5"};
static const char *lengths[] = {"", "hh", "h", "l"};
static const char *int_convs[] = {"d", "i", "u", "o", "x", "X"};
static const long long values[] = {0, 1, -1, 42, -42, 2147483648LL, 9223372036854775807LL,
                                   (long long)0x8000000000000000ULL, 0x1234567890LL};
static const char *strings[] = {"", "abc", "a longer string"};

static void row(const char *fmt, const char *arg, const char *result) {
  printf("%s\t%s\t%s\n", fmt, arg, result);
}

int main(void) {
  char fmt[64], out[256], arg[64];
  for (size_t f = 0; f < sizeof flags / sizeof *flags; f++)
    for (size_t w = 0; w < sizeof widths / sizeof *widths; w++)
      for (size_t p = 0; p < sizeof precisions / sizeof *precisions; p++) {
        for (size_t l = 0; l < sizeof lengths / sizeof *lengths; l++)
          for (size_t c = 0; c < sizeof int_convs / sizeof *int_convs; c++)
            for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
              snprintf(fmt, sizeof fmt, "%%%s%s%s%s%s", flags[f], widths[w], precisions[p], lengths[l], int_convs[c]);
              snprintf(out, sizeof out, fmt, values[v]);
              snprintf(arg, sizeof arg, "%lld", values[v]);
              row(fmt, arg, out);
            }
        for (size_t v = 0; v < sizeof values / sizeof *values; v++) {
          snprintf(fmt, sizeof fmt, "%%%s%s%sp", flags[f], widths[w], precisions[p]);
          snprintf(out, sizeof out, fmt, (void *)values[v]);
          snprintf(arg, sizeof arg, "%lld", values[v]);
          row(fmt, arg, out);
        }
        for (size_t s = 0; s < sizeof strings / sizeof *strings; s++) {
          snprintf(fmt, sizeof fmt, "%%%s%s%ss", flags[f], widths[w], precisions[p]);
          snprintf(out, sizeof out, fmt, strings[s]);
          row(fmt, strings[s], out);
        }
        snprintf(fmt, sizeof fmt, "%%%s%s%sc", flags[f], widths[w], precisions[p]);
        snprintf(out, sizeof out, fmt, 0x141LL);
        row(fmt, "321", out);
      }
  return 0;
}
