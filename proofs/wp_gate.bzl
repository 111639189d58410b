"""zen_proof_gate: a test that runs the WP proof gate (wp_gate.sh) on core files.

Each gate runs two prover processes against a per-goal timeout, so the test
is "exclusive": Bazel runs it alone rather than beside other tests, which
would eat that time.
"""

def zen_proof_gate(name, args, tags = []):
    """Declares sh_test `name`: wp_gate.sh with `args`, over //core:sources.

    Args:
      name: target name.
      args: the gate's options, component name and workspace-relative files.
      tags: extra tags; "exclusive" and "proof" are always added.
    """
    native.sh_test(
        name = name,
        size = "enormous",
        timeout = "eternal",
        srcs = ["wp_gate.sh"],
        args = args,
        data = ["//core:sources"],
        tags = ["exclusive", "proof"] + tags,
    )
