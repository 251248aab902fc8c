// swift-tools-version:6.1
// libFuzzer targets for Vigil's parsers (issue 8), built apart from the main package by
// `Fuzz/run` (which CI calls) with `swift build --sanitize=fuzzer --sanitize=address`, so every
// target, VigilCore included (compiled here from its own sources through a symbolic link), is
// instrumented for the fuzzer's coverage; see docs/testing.md.
import PackageDescription

let package = Package(
    name: "VigilFuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "CVigilKernels"),
        .target(
            name: "VigilCore",
            dependencies: [
                "CVigilKernels", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
            ]),
    ]
        + ["csv", "feed", "json", "period", "config"].map { name in
            .executableTarget(name: "fuzz-\(name)", dependencies: ["VigilCore"], path: "Sources/\(name)")
        }
)
