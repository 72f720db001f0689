"""C++ code generation for .proto files with Debian's protoc and grpc_cpp_plugin."""

load("@rules_cc//cc:defs.bzl", "cc_library")

def _stem(src):
    """'x.proto', ':x.proto' or '@repo//:dir/x.proto' -> 'x'."""
    base = src.split(":")[-1].split("/")[-1]
    return base[:-len(".proto")]

def cc_proto_grpc_library(
        name,
        srcs,
        deps = [],
        proto_path = "protos",
        out_dir = "",
        visibility = None,
        testonly = False):
    """Generates C++ messages, gRPC services and gRPC mocks for srcs, as one cc_library.

    Headers are included by their import path, e.g. "lienthong/common/v1/period.pb.h".

    Args:
      name: the cc_library; "<name>_protos" is the filegroup of srcs plus deps' protos.
      srcs: .proto files of one import directory.
      deps: other cc_proto_grpc_library targets that srcs import.
      proto_path: the import root in the execution root ("protos", "external/googleapis").
      out_dir: the import directory of srcs relative to this package when the package is
        not the import directory itself ("google/rpc" for files from another repository).
      visibility: of the generated targets.
      testonly: of the generated targets.
    """
    package = native.package_name()
    if out_dir:
        include_root = package
        cpp_out = "$(RULEDIR)"
        prefix = out_dir + "/"
    elif proto_path == ".":
        # Imported by their workspace path, e.g. "libs/testing/echo.proto".
        include_root = ""
        cpp_out = "$(GENDIR)"
        prefix = ""
    else:
        # Our contract packages sit at <proto_path>/<import dir>.
        include_root = proto_path
        cpp_out = "$(GENDIR)/" + proto_path
        prefix = ""

    hdrs = []
    cc_srcs = []
    for src in srcs:
        stem = prefix + _stem(src)
        hdrs += [stem + ".pb.h", stem + ".grpc.pb.h", stem + "_mock.grpc.pb.h"]
        cc_srcs += [stem + ".pb.cc", stem + ".grpc.pb.cc"]

    native.filegroup(
        name = name + "_protos",
        srcs = srcs + [dep + "_protos" for dep in deps],
        visibility = visibility,
        testonly = testonly,
    )

    native.genrule(
        name = name + "_gen",
        srcs = srcs + [name + "_protos"],
        outs = hdrs + cc_srcs,
        tools = ["@system//:protoc", "@system//:grpc_cpp_plugin"],
        cmd = " ".join([
            "$(location @system//:protoc)",
            "--proto_path=" + proto_path,
        ] + (["--proto_path=protos"] if proto_path == "." else []) + [
            "--proto_path=/usr/include",
            "--cpp_out=" + cpp_out,
            "--grpc_out=generate_mock_code=true:" + cpp_out,
            "--plugin=protoc-gen-grpc=$(location @system//:grpc_cpp_plugin)",
        ] + ["$(location %s)" % src for src in srcs]),
        visibility = ["//visibility:private"],
        testonly = testonly,
    )

    cc_library(
        name = name,
        srcs = cc_srcs,
        hdrs = hdrs,
        strip_include_prefix = "/" + include_root if include_root else None,
        copts = ["-w"],  # generated code is not ours to warn about
        deps = deps + [
            "@system//:grpc++",
            "@system//:protobuf",
        ],
        visibility = visibility,
        testonly = testonly,
    )
