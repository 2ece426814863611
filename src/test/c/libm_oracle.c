/*
 * Oracle for io.tinyfit.kernels.Libm: prints glibc's own expf/tanhf/logf/expm1f results.
 *
 * Build (the functions must come from libm, not from GCC's constant folding or builtins):
 *   gcc -O2 -fno-builtin -o libm_oracle src/test/c/libm_oracle.c -lm
 *
 * Usage:
 *   libm_oracle table FILE   write the LibmTest resource (see write_table for the format)
 *   libm_oracle all FUNC     write FUNC(x) for every 32-bit pattern x = 0 .. 2^32-1 to stdout,
 *                            as little-endian uint32 result bits (16 GiB), for exhaustive checks
 *
 * Results depend on the CPU: glibc picks FMA builds of expf/logf via ifunc when the CPU has
 * FMA and AVX2, and the reference outputs were produced on such a CPU.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef float (*fn_t) (float);

struct func
{
  const char *name;
  fn_t fn;
  int count; /* entries in the test table */
};

static struct func funcs[] = {
  { "expf", expf, 20000 },
  { "tanhf", tanhf, 20000 },
  { "logf", logf, 20000 },
  { "expm1f", expm1f, 8000 },
};
#define NFUNCS (sizeof funcs / sizeof funcs[0])

static uint32_t
bits (float f)
{
  uint32_t u;
  memcpy (&u, &f, 4);
  return u;
}

static float
flt (uint32_t u)
{
  float f;
  memcpy (&f, &u, 4);
  return f;
}

/* Deterministic generator so the checked-in table can be regenerated identically.  */
static uint64_t rng_state = 0x74696e79666974ULL; /* "tinyfit" */

static uint64_t
splitmix64 (void)
{
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform float in [lo, hi).  */
static float
uniform (float lo, float hi)
{
  double u = (double) (splitmix64 () >> 11) * 0x1p-53;
  return (float) (lo + (hi - lo) * u);
}

struct list
{
  uint32_t *v;
  int n, cap;
};

static void
add (struct list *l, uint32_t x)
{
  if (l->n < l->cap)
    l->v[l->n++] = x;
}

/* x and its neighbours up to +-radius ulps, on both signs.  */
static void
add_around (struct list *l, uint32_t x, int radius)
{
  x &= 0x7fffffff;
  for (int d = -radius; d <= radius; d++)
    {
      int64_t y = (int64_t) x + d;
      if (y < 0 || y > 0x7fffffff)
	continue;
      add (l, (uint32_t) y);
      add (l, (uint32_t) y | 0x80000000u);
    }
}

static void
add_specials (struct list *l)
{
  static const uint32_t s[] = {
    0x00000000, 0x00000001, 0x00000002, 0x000fffff, 0x00400000, 0x007fffff, /* zero, subnormals */
    0x00800000, 0x00800001, 0x3f800000, 0x3f7fffff, 0x3f800001, 0x40000000, /* normals */
    0x7f7fffff, 0x7f000000, 0x7f800000,                                     /* max, inf */
    0x7fc00000, 0x7fc00001, 0x7fffffff, 0x7f800001, 0x7fa00000, 0x7fbfffff, /* NaNs */
    0x3dcccccd, 0x3e800000, 0x3f000000, 0x3fc00000, 0x40490fdb, 0x402df854,
  };
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
    {
      add (l, s[i]);
      add (l, s[i] | 0x80000000u);
    }
}

static void
fill_inputs (const char *name, struct list *l)
{
  add_specials (l);
  /* Every power of two, both signs: exercises each exponent and the subnormal range.  */
  for (uint32_t e = 0; e < 255; e++)
    {
      add (l, e << 23);
      add (l, (e << 23) | 0x80000000u);
    }
  for (uint32_t e = 1; e < 24; e++)
    {
      add (l, 1u << (e - 1));
      add (l, (1u << (e - 1)) | 0x80000000u);
    }

  if (strcmp (name, "expf") == 0)
    {
      add_around (l, 0x42b00000, 32); /* 88.0f: start of the special-case path */
      add_around (l, 0x42b17217, 64); /* 0x1.62e42ep6f: overflow threshold */
      add_around (l, 0x42cff1b4, 64); /* 0x1.9fe368p6f: underflow to zero */
      add_around (l, 0x42ce8ecf, 64); /* 0x1.9d1d9ep6f: may-underflow threshold */
      add_around (l, 0x42aeac50, 32); /* ~87.34: result reaches subnormal range */
      add_around (l, 0x3f317218, 32); /* ln 2 */
      add_around (l, 0x3c317218, 32); /* ln2 / 64: reduction boundary */
      add_around (l, 0x33000000, 16);
      /* The only inputs whose result changes when expf is evaluated without FMA.  */
      add_around (l, 0x4202422f, 4);
      add_around (l, 0xc27c65d9, 4);
      for (int i = 0; i < 6000; i++)
	add (l, bits (uniform (-20.0f, 20.0f)));
      for (int i = 0; i < 3000; i++)
	add (l, bits (uniform (-104.0f, 89.0f)));
      for (int i = 0; i < 1000; i++)
	add (l, bits (uniform (-1e-3f, 1e-3f)));
    }
  else if (strcmp (name, "tanhf") == 0)
    {
      add_around (l, 0x41b00000, 32); /* 22: saturates to +-1 */
      add_around (l, 0x24000000, 32); /* 2^-55: returns x*(1+x) */
      add_around (l, 0x3f800000, 32); /* 1: switch between expm1f(2|x|) and expm1f(-2|x|) */
      add_around (l, 0x3e317218, 32); /* expm1f argument 0.5 ln2: reduction starts */
      add_around (l, 0x3e851592, 32); /* expm1f argument 1.5 ln2 */
      add_around (l, 0x4115b844, 32); /* expm1f argument 27 ln2 */
      add_around (l, 0x32800000, 32); /* expm1f argument 2^-25 */
      add_around (l, 0x41102cb3, 32); /* ~9.01: tanhf rounds to 1 around here */
      for (int i = 0; i < 6000; i++)
	add (l, bits (uniform (-10.0f, 10.0f)));
      for (int i = 0; i < 2000; i++)
	add (l, bits (uniform (-1.0f, 1.0f)));
      for (int i = 0; i < 1000; i++)
	add (l, bits (uniform (-23.0f, 23.0f)));
    }
  else if (strcmp (name, "logf") == 0)
    {
      add_around (l, 0x3f800000, 64); /* 1 */
      add_around (l, 0x00800000, 32); /* smallest normal: subnormal path below */
      add_around (l, 0x7f7fffff, 16);
      /* Boundaries of the 16 table subintervals, in a few binades.  */
      for (int e = -3; e <= 3; e += 3)
	for (uint32_t i = 0; i <= 16; i++)
	  add_around (l, 0x3f330000u + (i << 19) + ((uint32_t) e << 23), 2);
      for (int i = 0; i < 4000; i++)
	add (l, bits (uniform (0.0f, 1.0f)));
      for (int i = 0; i < 3000; i++)
	add (l, bits (uniform (0.5f, 2.0f)));
      for (int i = 0; i < 2000; i++)
	add (l, bits (uniform (0.0f, 1000.0f)));
      for (int i = 0; i < 3000; i++) /* any positive float, uniformly over bit patterns */
	add (l, (uint32_t) splitmix64 () & 0x7fffffff);
    }
  else if (strcmp (name, "expm1f") == 0)
    {
      add_around (l, 0x3eb17218, 16); /* 0.5 ln2 */
      add_around (l, 0x3f851592, 16); /* 1.5 ln2 */
      add_around (l, 0x4195b844, 16); /* 27 ln2 */
      add_around (l, 0x42b17218, 16); /* overflow region */
      add_around (l, 0x42b17180, 16); /* o_threshold */
      add_around (l, 0x33000000, 16); /* 2^-25 */
      for (int i = 0; i < 3000; i++)
	add (l, bits (uniform (-20.0f, 20.0f)));
    }

  /* Deterministic pseudo-random bit patterns fill the rest.  */
  while (l->n < l->cap)
    add (l, (uint32_t) splitmix64 ());
}

static void
put32 (FILE *f, uint32_t v)
{
  unsigned char b[4] = { v >> 24, v >> 16, v >> 8, v };
  fwrite (b, 1, 4, f);
}

/* Format, big-endian (java.io.DataInputStream): per function, one byte name length, the
   ASCII name, an int32 entry count, then count pairs of (input bits, glibc result bits).  */
static int
write_table (const char *path)
{
  FILE *f = fopen (path, "wb");
  if (!f)
    {
      perror (path);
      return 1;
    }
  for (size_t k = 0; k < NFUNCS; k++)
    {
      struct list l = { malloc (sizeof (uint32_t) * funcs[k].count), 0, funcs[k].count };
      fill_inputs (funcs[k].name, &l);
      fputc ((int) strlen (funcs[k].name), f);
      fputs (funcs[k].name, f);
      put32 (f, (uint32_t) l.n);
      for (int i = 0; i < l.n; i++)
	{
	  put32 (f, l.v[i]);
	  put32 (f, bits (funcs[k].fn (flt (l.v[i]))));
	}
      free (l.v);
    }
  return fclose (f) != 0;
}

static int
write_all (const char *name)
{
  fn_t fn = NULL;
  for (size_t k = 0; k < NFUNCS; k++)
    if (strcmp (funcs[k].name, name) == 0)
      fn = funcs[k].fn;
  if (!fn)
    {
      fprintf (stderr, "unknown function %s\n", name);
      return 2;
    }
  enum { CHUNK = 1 << 20 };
  static uint32_t out[CHUNK];
  for (uint64_t base = 0; base < (1ULL << 32); base += CHUNK)
    {
      for (uint32_t i = 0; i < CHUNK; i++)
	out[i] = bits (fn (flt ((uint32_t) (base + i)))); /* x86-64 is little-endian */
      if (fwrite (out, sizeof out, 1, stdout) != 1)
	return 1;
    }
  return fflush (stdout) != 0;
}

int
main (int argc, char **argv)
{
  if (argc == 3 && strcmp (argv[1], "table") == 0)
    return write_table (argv[2]);
  if (argc == 3 && strcmp (argv[1], "all") == 0)
    return write_all (argv[2]);
  fprintf (stderr, "usage: %s table FILE | %s all expf|tanhf|logf|expm1f\n", argv[0], argv[0]);
  return 2;
}
