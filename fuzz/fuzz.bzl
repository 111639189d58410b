"""zen_fuzz_test: a libFuzzer target that, under `bazel test`, replays its corpus.

The harness is a plain LLVMFuzzerTestOneInput source, compatible with
rules_fuzzing and OSS-Fuzz (see fuzz/build.sh). The cc_test links libFuzzer
with ASan and UBSan; given files as arguments, libFuzzer runs each once and
exits 0 when none crashes.
"""

_FUZZ_FLAGS = ["-fsanitize=fuzzer,address,undefined"]

# Optimised as OSS-Fuzz builds its fuzzers, so that `//:verify` runs at a
# useful rate even in Bazel's default (fastbuild) mode.
_FUZZ_COPTS = ["-O1", "-g"]

def zen_fuzz_test(name, srcs, instrumented = [], include_dirs = [], deps = [], corpus = [], dict = None, copts = [], linkopts = [], tags = [], **kwargs):
    """Declares cc_test `name`: a libFuzzer binary whose test run replays `corpus`.

    Args:
      name: target name; `bazel run` on it starts fuzzing with no corpus.
      srcs: harness sources defining LLVMFuzzerTestOneInput.
      instrumented: sources under test (filegroups of .c and .h), compiled
        into the fuzzer with its flags so libFuzzer sees their coverage and
        the sanitizers check them. Libraries in deps are not instrumented.
      include_dirs: workspace-relative directories of those headers.
      deps: other libraries.
      corpus: seed input files; passed as arguments, so `bazel test` runs each once.
      dict: libFuzzer dictionary file (shipped as data only).
      copts: extra compiler flags.
      linkopts: extra linker flags.
      tags: extra tags; "fuzz-test" is always added.
      **kwargs: passed to cc_test (size, timeout, visibility, ...).

    The binary links the libraries statically, so it runs outside Bazel too.
    """
    data = list(corpus)
    if dict:
        data.append(dict)
    native.cc_test(
        name = name,
        srcs = srcs + instrumented,
        deps = deps,
        copts = ["-std=c11"] + _FUZZ_COPTS + _FUZZ_FLAGS + ["-I" + d for d in include_dirs] + copts,
        linkopts = _FUZZ_FLAGS + linkopts,
        data = data,
        args = ["$(locations %s)" % f for f in corpus],
        tags = ["fuzz-test"] + tags,
        linkstatic = True,
        **kwargs
    )
