"""libFuzzer targets whose corpora also run as ordinary tests."""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")

def lt_fuzzer(name, srcs, deps = [], copts = []):
    """Declares a fuzzer and the regression test of its corpus.

    `name` is the libFuzzer binary: tagged manual, built only by scripts/fuzz
    with clang (--config=fuzz). `name`_corpus_test runs every file of
    corpus/`name` through the same entry point with any compiler, so the
    corpus guards against regressions in the ordinary and sanitizer builds.

    Args:
      name: the fuzzer's name; its corpus is corpus/<name>.
      srcs: sources defining LLVMFuzzerTestOneInput.
      deps: what they need.
      copts: extra compiler options.
    """
    cc_library(
        name = name + "_entry",
        testonly = True,
        srcs = srcs,
        copts = copts,
        deps = deps,
        alwayslink = True,
    )
    cc_binary(
        name = name,
        testonly = True,
        linkopts = ["-fsanitize=fuzzer"],
        tags = [
            "fuzzer",
            "manual",
        ],
        deps = [":" + name + "_entry"],
    )
    cc_test(
        name = name + "_corpus_test",
        size = "small",
        args = ["tests/fuzz/corpus/" + name],
        data = native.glob(["corpus/" + name + "/**"]),
        deps = [
            ":" + name + "_entry",
            ":corpus_driver",
        ],
    )
