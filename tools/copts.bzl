"""C flags shared by every package: C11, warnings on and fatal."""

ZEN_COPTS = [
    "-std=c11",
    "-Wall",
    "-Wextra",
    "-Wconversion",
    "-Werror",
]
