"""The proof gates: the files each one proves and the options it needs.

This list is the one place for them. proofs/BUILD makes a Bazel test of each
gate (with --smoke), and writes the list as proofs/gate_runs.txt for
//:verify (tools/verify.sh), which runs each component's gates without the
smoke tests. proofs/RECORD.md says why a gate needs each option.

Each gate:
  name       the gate's name: its test is //proofs:<name>_proofs
  component  the //:verify row that adds up its goals and time
  options    wp_gate.sh options other than --smoke. --cvc4-first where
             it was measured faster: it generates the goals twice, which
             costs more than it saves where the goals are many and quick
             (the page gate: 1204 s against 1051 s)
  files      workspace-relative C files
  manual     True keeps the test out of `bazel test //...`
"""

ZEN_PROOF_GATES = [
    # The page allocator and its consistency checker.
    struct(
        name = "page",
        component = "page",
        options = [],
        files = ["core/zen_page.c", "core/zen_page_check.c"],
        manual = False,
    ),
    # The zone allocator's memory-map reading (zen_zone_plan and the run
    # sweep it is built on) and its consistency checker. CVC4 first: 321 s
    # against 393 s in one run with both provers.
    struct(
        name = "zone",
        component = "zone",
        options = ["--cvc4-first"],
        files = ["core/zen_zone_map.c", "core/zen_zone_check.c"],
        manual = False,
    ),
    # The zones themselves (init, alloc, free, attach, watermarks, queries).
    # A run of its own: the lemmas and definitions of the two files above,
    # in every goal's context, slow its goals threefold. CVC4 first: 1471 s
    # against 1750 s in one run with both provers (ninth run; 1359 s in the
    # eleventh, after its slowest goals were mended).
    struct(
        name = "zone_alloc",
        component = "zone",
        options = ["--cvc4-first"],
        files = ["core/zen_zone.c"],
        manual = False,
    ),
    # The object caches (lists, slots, growth, release, create, alloc, free,
    # shrink, destroy). zen_slab_release_empty's goals run split: its frame
    # goal on the exit path proves only in parts. The ghost step
    # zen_mul_le's one goal takes up to a minute, so it gets 120 s;
    # zen_slab_claim's goals (the kmalloc classes kept across four calls)
    # take up to 37 s, so they get 80 s. CVC4 first:
    # 2027 s against 2261 s in one run with both provers.
    # Manual: over half an hour on two cores, which the other gates leave
    # no room for in CI's 90 minutes; `bazel test //proofs:slab_proofs`
    # and //:verify run it.
    struct(
        name = "slab",
        component = "slab",
        options = [
            "--cvc4-first",
            "--fct-timeout",
            "zen_mul_le:120,zen_slab_claim:80",
            "--split",
            "zen_slab_release_empty",
        ],
        files = ["core/zen_slab.c"],
        manual = True,
    ),
    # kmalloc and kfree over the slab layer (zen_kmalloc.c): init, the
    # size classes, the large blocks, and kfree's validation. The ghost
    # walk in zen_kfree_in_class (the frame descriptors kept) has one step
    # of up to 34 s, so that function gets 80 s. CVC4 first.
    struct(
        name = "kmalloc",
        component = "slab",
        options = ["--cvc4-first", "--fct-timeout", "zen_kfree_in_class:80"],
        files = ["core/zen_kmalloc.c"],
        manual = False,
    ),
    # The slab layer's consistency checker (zen_kmem_check and its parts).
    # zen_kmem_check's goals run split: its postconditions over the report,
    # one goal for all six returns, prove only path by path. CVC4 first.
    # About 5 minutes, so it runs in CI, unlike the gate above.
    struct(
        name = "slab_check",
        component = "slab",
        options = ["--cvc4-first", "--split", "zen_kmem_check"],
        files = ["core/zen_slab_check.c"],
        manual = False,
    ),
    # The process layout builder (zen_seg_layout.c) and the access check
    # (zen_seg_access.c). zen_seg_layout's goals run split: each
    # behaviour's postcondition, one goal over the nine returns, proves only
    # path by path. zen_seg_access's too: whole, its fault's "every byte
    # before it" took 30 s of 40 and failed in some runs; in parts, none
    # takes a second. CVC4 first.
    struct(
        name = "seg",
        component = "seg",
        options = ["--cvc4-first", "--split", "zen_seg_layout,zen_seg_access"],
        files = ["core/zen_seg_layout.c", "core/zen_seg_access.c"],
        manual = False,
    ),
    # Address spaces, one run per file: a file's lemmas are in every goal's
    # context of its run, and those that carry the space's invariant across
    # a store (zen_space_lemmas.h) or place a faulting page
    # (zen_space_fault.c) time out goals of the other files. First the
    # slot of an address, the frame of a page, and the checker.
    struct(
        name = "space",
        component = "space",
        options = ["--cvc4-first"],
        files = ["core/zen_space.c", "core/zen_space_check.c"],
        manual = True,
    ),
    # The table's size and init. zen_space_build_kept's goals run split:
    # whole, its asserts over every zone's tree and the zones apart time out.
    struct(
        name = "space_init",
        component = "space",
        options = ["--cvc4-first", "--split", "zen_space_build_kept"],
        files = ["core/zen_space_init.c"],
        manual = True,
    ),
    # The steps that store through the space. zen_space_take's and
    # zen_space_put_fault's slowest goals take up to 36 s alone, so they
    # get 80 s.
    struct(
        name = "space_steps",
        component = "space",
        options = ["--cvc4-first", "--fct-timeout", "zen_space_take:80,zen_space_put_fault:80"],
        files = ["core/zen_space_steps.c"],
        manual = True,
    ),
    # The fault handler. zen_space_map's and zen_space_fault's goals run
    # split: whole, a postcondition over their returns times out.
    struct(
        name = "space_fault",
        component = "space",
        options = ["--cvc4-first", "--split", "zen_space_map,zen_space_fault"],
        files = ["core/zen_space_fault.c"],
        manual = True,
    ),
    # brk and teardown.
    struct(
        name = "space_brk",
        component = "space",
        options = ["--cvc4-first"],
        files = ["core/zen_space_brk.c"],
        manual = True,
    ),
]

def gate_runs_line(gate):
    """One line of gate_runs.txt: "COMPONENT|OPTIONS NAME FILES"."""
    return gate.component + "|" + " ".join(gate.options + [gate.name] + gate.files)
