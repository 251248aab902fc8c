// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "VigilCore", targets: ["VigilCore"]),
        .library(name: "VigilConfiguration", targets: ["VigilConfiguration"]),
        .library(name: "VigilStore", targets: ["VigilStore"]),
        .library(name: "VigilDaemon", targets: ["VigilDaemon"]),
        .library(name: "VigilDigest", targets: ["VigilDigest"]),
        .executable(name: "vigil", targets: ["vigil"]),
        .executable(name: "vigild", targets: ["vigild"]),
        .executable(name: "vigil-bench", targets: ["vigil-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Pure engine: catalogue, feeds, derivations, rules, lifecycle. No file, clock or journal access.
        .target(
            name: "VigilCore",
            dependencies: [
                "CVigilKernels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // Persistence: observations with revisions, ingested files, alert state and event log (SQLite, WAL).
        .target(
            name: "VigilStore",
            dependencies: [
                "VigilCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C interface, for the statements run once per row (`RowStatement`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Configuration loading, feed file discovery and receipts: what `vigil check` needs, without the store.
        .target(name: "VigilConfiguration", dependencies: ["VigilCore", "CVigilBuild"]),
        // The commit the binaries were built from (`make` passes it as a C define).
        .target(name: "CVigilBuild"),
        // What Swift cannot say: SHA-256 blocks with the x86 SHA extensions (where present) and a prefetch hint.
        .target(name: "CVigilKernels"),
        // Digests for board chairs: HTML, Markdown and text with SVG charts; pure rendering.
        .target(name: "VigilDigest", dependencies: ["VigilCore", "VigilStore"]),
        // libsystemd: journal and sd_notify, plus the Linux calls safe intake needs.
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        // systemd for the service and the command line: the journal, log handlers, sd_notify, message ids.
        .target(
            name: "VigilSystemd",
            dependencies: ["VigilCore", "CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        // The ingest path both vigild and vigil use: one transaction per file with its effects
        // (Ingestor), and the effects performed afterwards (EffectRunner, alert files).
        .target(
            name: "VigilService",
            dependencies: [
                "VigilCore", "VigilConfiguration", "VigilStore", "VigilSystemd", "CSystemd",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The daemon's parts: safe intake, the intake loop, the service.
        .target(
            name: "VigilDaemon",
            dependencies: [
                "VigilCore",
                "VigilConfiguration",
                "VigilStore",
                "VigilService",
                "VigilSystemd",
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "vigild",
            dependencies: [
                "VigilDaemon",
                "VigilConfiguration",
                "VigilSystemd",
                "VigilCore",
                "VigilStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilCore",
                "VigilConfiguration",
                "VigilStore",
                "VigilDigest",
                "VigilService",
                "VigilSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks: synthetic extracts and measured ingestion (Benchmarks/run).
        .executableTarget(
            name: "vigil-bench",
            dependencies: [
                "VigilCore", "VigilConfiguration", "VigilStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore", "CVigilKernels"]),
        .testTarget(name: "VigilStoreTests", dependencies: ["VigilStore", "VigilConfiguration", "VigilCore"]),
        .testTarget(name: "VigilConfigurationTests", dependencies: ["VigilConfiguration"]),
        .testTarget(name: "VigilDigestTests", dependencies: ["VigilDigest", "VigilStore", "VigilCore"]),
        .testTarget(name: "VigilBenchTests", dependencies: ["vigil-bench", "VigilCore", "VigilConfiguration"]),
        // Shared test fixtures that need real system parts (a live journald).
        .target(name: "VigilTestSupport", dependencies: ["VigilSystemd"], path: "Tests/VigilTestSupport"),
        .testTarget(
            name: "VigilDaemonTests",
            dependencies: [
                "VigilDaemon", "VigilService", "VigilSystemd", "VigilConfiguration", "VigilStore", "VigilCore",
                "VigilTestSupport",
            ]),
        .testTarget(
            name: "VigilEndToEndTests", dependencies: ["vigil", "vigild", "VigilCore", "VigilConfiguration", "VigilTestSupport"]),
    ]
)
