/* Enter/leave hooks: how a kernel serialises an instance of the core.
 *
 * No instance (page allocator, and later zone set, cache, address space) is
 * thread-safe by itself. Each takes a zen_hooks at init and calls `enter`
 * once when an operation that changes it begins and `leave` once when that
 * operation ends, whatever it answers, so a kernel plugs in its spinlock or
 * interrupt masking. A NULL function is not called.
 *
 * The hooks run the caller's code, which the proofs cannot see: they are
 * assumed to return and to write nothing the core reads (the instance and
 * the arrays it was given). proofs/RECORD.md lists this assumption. */
#ifndef ZEN_HOOKS_H
#define ZEN_HOOKS_H

typedef void (*zen_hook_fn)(void *ctx);

typedef struct zen_hooks {
    zen_hook_fn enter; /* called first, or NULL */
    zen_hook_fn leave; /* called last, or NULL */
    void *ctx;         /* passed to both */
} zen_hooks;

/* The calls go through the caller's function pointers, which WP cannot
 * follow: under Frama-C these are declarations whose contracts are the
 * assumption; compilers get the two-line bodies inline. */
#ifdef __FRAMAC__
/* Call h->enter(h->ctx) if it is set. */
/*@ requires \valid_read(h);
    assigns \nothing;
 */
void zen_hooks_enter(const zen_hooks *h);

/* Call h->leave(h->ctx) if it is set. */
/*@ requires \valid_read(h);
    assigns \nothing;
 */
void zen_hooks_leave(const zen_hooks *h);
#else
static inline void zen_hooks_enter(const zen_hooks *h)
{
    if (h->enter != 0)
        h->enter(h->ctx);
}

static inline void zen_hooks_leave(const zen_hooks *h)
{
    if (h->leave != 0)
        h->leave(h->ctx);
}
#endif

#endif
