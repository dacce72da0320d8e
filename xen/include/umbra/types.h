/*
 * types.h: typed frame numbers and addresses for the hypervisor.
 *
 * Guest frame numbers (gfn_t), machine frame numbers (mfn_t) and machine
 * addresses (maddr_t) are distinct struct types, so the compiler rejects
 * mixing them (STYLE.md habit 4). Convert only with the helpers below.
 */
#ifndef UMBRA_TYPES_H
#define UMBRA_TYPES_H

#include <stdint.h>

#include "riscv/pte.h"

typedef struct { uint64_t g; } gfn_t;
typedef struct { uint64_t m; } mfn_t;
typedef struct { uint64_t a; } maddr_t;
typedef uint64_t paddr_t;   /* guest physical address */

static inline gfn_t _gfn(uint64_t g) { return (gfn_t){ g }; }
static inline uint64_t gfn_x(gfn_t g) { return g.g; }
static inline mfn_t _mfn(uint64_t m) { return (mfn_t){ m }; }
static inline uint64_t mfn_x(mfn_t m) { return m.m; }
static inline maddr_t _maddr(uint64_t a) { return (maddr_t){ a }; }
static inline uint64_t maddr_x(maddr_t a) { return a.a; }

#define INVALID_MFN _mfn(~0ULL)
#define INVALID_GFN _gfn(~0ULL)
static inline int mfn_valid_value(mfn_t m) { return m.m != ~0ULL; }
static inline int mfn_eq(mfn_t a, mfn_t b) { return a.m == b.m; }
static inline int gfn_eq(gfn_t a, gfn_t b) { return a.g == b.g; }

static inline maddr_t mfn_to_maddr(mfn_t m) { return _maddr(m.m << PAGE_SHIFT); }
static inline mfn_t maddr_to_mfn(maddr_t a) { return _mfn(a.a >> PAGE_SHIFT); }
static inline paddr_t gfn_to_gaddr(gfn_t g) { return g.g << PAGE_SHIFT; }
static inline gfn_t gaddr_to_gfn(paddr_t a) { return _gfn(a >> PAGE_SHIFT); }

typedef uint16_t domid_t;

#endif
